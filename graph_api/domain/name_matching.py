"""Matching a subject known only by name (batch screening, issue 15): how a name is normalised, and how
well a candidate's name, region and birth year match what the clerk sent, as a score from 0 to 1 with
the signals that matched; and which hits of the full-text index are a name's candidates (the tiers of
`search_tiers`, the cap, `shortlist`). The index is searched by services/screening.py (cypher/screen.cypher);
the rules are here, so the same ones answer wherever candidates come from.

Signals, strongest first: the same text (EXACT); the same after normalisation (NORMALISED: full-/half-width,
brackets, spaces, case, the 有限公司 suffix variants); the same pinyin, so homophones and a name typed in
pinyin match (PINYIN); the same initials, the way clerks abbreviate (INITIALS); otherwise edit-distance
similarity of the text or the pinyin (FUZZY). A region or birth year sent confirms (REGION, BIRTH_YEAR) or,
when it differs, lowers the score."""

from __future__ import annotations

import functools
import itertools
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from pypinyin import Style, lazy_pinyin
from rapidfuzz import fuzz

from graph_api.errors import BadUserInput

EXACT, NORMALISED, PINYIN, INITIALS, FUZZY, REGION, BIRTH_YEAR = (
    "EXACT",
    "NORMALISED",
    "PINYIN",
    "INITIALS",
    "FUZZY",
    "REGION",
    "BIRTH_YEAR",
)
SIGNALS = (EXACT, NORMALISED, PINYIN, INITIALS, FUZZY, REGION, BIRTH_YEAR)

# The forms of a company name's ending a clerk writes for the same firm; all read as 有限公司.
COMPANY_SUFFIXES = ("股份有限公司", "有限责任公司", "有限公司")
CANONICAL_SUFFIX = "有限公司"

# Below this a candidate is noise, not a lead for a person to decide on.
MIN_SCORE = 0.75
MAX_CANDIDATES = 10
MAX_NAME = 200  # characters of a name sent, as a clerk types one
# Hits of the index one name's search takes (BM25 order). A name sharing all but one of its terms has a
# handful of hits in a city of a million firms; only the last tier ("any term") reaches it.
CANDIDATE_CAP = 20
# The core's terms the "all but one" tier uses: it is one conjunction per term left out, so its size grows with
# the square (12 terms: 132 clauses; Lucene refuses more than 1,024). A longer core is told by its first terms.
TIER_TERMS = 12
# The pre-filter before pinyin, in rapidfuzz's ratio (percent) of the cores' characters: a hit sharing less
# than half of them can only score by pinyin if most of its characters are homophones of the name's, which
# the index (it finds hits by shared characters) would not have found either.
CLOSE_ENOUGH = 50.0

_BASE = {EXACT: 1.0, NORMALISED: 0.97, PINYIN: 0.9, INITIALS: 0.8}
_FUZZY_WEIGHT = 0.9  # a fuzzy match never outranks a pinyin one
_REGION_MISMATCH = 0.8
_BIRTH_YEAR_MISMATCH = 0.7
# NFKC folds full-width letters, digits and （） into ASCII; these brackets it leaves alone.
_BRACKETS = str.maketrans({"【": "(", "】": ")", "〔": "(", "〕": ")", "[": "(", "]": ")"})
_SPACE = re.compile(r"[\s\u3000·.,，。、]+")


def normalise(name: str) -> str:
    """The name as compared: half-width, one kind of bracket, no spaces or dots, lower case, and the
    company suffix in one form (北京某某科技有限责任公司 and 北京某某科技有限公司 are one name)."""
    text = _SPACE.sub("", unicodedata.normalize("NFKC", name).translate(_BRACKETS)).lower()
    for suffix in COMPANY_SUFFIXES:
        if text.endswith(suffix):
            return text[: -len(suffix)] + CANONICAL_SUFFIX
    return text


@dataclass(frozen=True)
class NameQuery:
    """A subject sent by name alone, checked (`name_query`)."""

    name: str
    region: str | None = None
    birth_year: int | None = None

    @property
    def key(self) -> str:
        """The name as compared: the key of its search and of decisions about its candidates."""
        return normalise(self.name)


def name_query(name: str, region: str | None = None, birth_year: int | None = None) -> NameQuery:
    if not normalise(name) or len(name) > MAX_NAME:
        raise BadUserInput(f"a name has 1 to {MAX_NAME} characters besides spaces", field="name")
    if birth_year is not None and not 1900 <= birth_year <= 2100:
        raise BadUserInput("birthYear is a year like 1980", field="birthYear")
    return NameQuery(name.strip(), region.strip() if region and region.strip() else None, birth_year)


def core(normalised: str) -> str:
    """What distinguishes a firm: the normalised name without brackets and the company suffix (which every
    firm shares, so it would only blur pinyin, initials and similarity)."""
    text = normalised[: -len(CANONICAL_SUFFIX)] if normalised.endswith(CANONICAL_SUFFIX) else normalised
    return text.replace("(", "").replace(")", "")


def _han(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff" or "\U00020000" <= ch <= "\U0003134f"


def index_terms(text: str) -> list[str]:
    """The terms the full-text index's CJK analyser makes of a text, distinct, in order: overlapping bigrams of
    a run of Chinese characters (a lone character alone), a run of letters and digits whole. Written out here
    so that a search can ask for terms one by one (Neo4j's query parser ORs the terms of one text); any other
    character separates terms, so a term is never Lucene syntax."""
    terms: list[str] = []
    run: list[str] = []
    word: list[str] = []

    def flush() -> None:
        if len(run) == 1:
            terms.append(run[0])
        terms.extend(a + b for a, b in itertools.pairwise(run))
        if word:
            terms.append("".join(word).lower())
        run.clear()
        word.clear()

    for ch in text:
        if _han(ch):
            if word:
                flush()
            run.append(ch)
        elif ch.isalnum():
            if run:
                flush()
            word.append(ch)
        else:
            flush()
    flush()
    return list(dict.fromkeys(terms))


def search_tiers(key: str) -> list[list[list[str]]]:
    """What a hit must share with the name (normalised) to be a candidate, closest first; a tier is searched
    only when the tiers before it found nothing. A tier is alternatives, each a set of terms a hit has all of:
    every term of the core (the name, its namesakes and longer names containing it); all but one term (a
    character dropped, added or mistyped inside the name: 青岛黄岛阵实业 finds 青岛黄岛矩阵实业); any term (a name
    written very differently, left to the scoring). A core of one or two terms has no middle tier.

    Asking for most of the terms, not any, is what keeps the search small: a term such as 科技 or 文化 is in
    tens of thousands of a city's names, so any-term hits are capped noise that must all be scored."""
    terms = index_terms(searched(key))
    if not terms:
        return []
    tiers = [[terms]]
    if len(terms) > 2:
        few = terms[:TIER_TERMS]
        tiers.append([few[:i] + few[i + 1 :] for i in range(len(few))])
    if len(terms) > 1:
        tiers.append([[t] for t in terms])
    return tiers


def searched(normalised: str) -> str:
    """What of a name its search asks the index for: the name without the company suffix in any of its forms,
    wherever it is (a branch, 某某有限责任公司杨浦分公司, has it inside), brackets kept as the breaks they are in
    the index (its bigrams never span a bracket, so 煌祺(合肥)电器 asks for 煌祺, 合肥, 电器 — not 祺合)."""
    for suffix in COMPANY_SUFFIXES:
        normalised = normalised.replace(suffix, " ")
    return normalised


def close_enough(sent_core: str, found_core: str) -> bool:
    """The pre-filter before pinyin (CLOSE_ENOUGH): rapidfuzz's ratio costs a microsecond, pypinyin about a
    millisecond a name."""
    return fuzz.ratio(sent_core, found_core) >= CLOSE_ENOUGH


# pypinyin costs about a millisecond a name, and a batch of 500 names scores each against up to 50 hits: the
# name sent and the firms many names hit are converted once per process.
@functools.lru_cache(maxsize=100_000)
def pinyin(text: str) -> str:
    """Toneless pinyin, syllables run together; letters and digits as they are (a name typed in pinyin
    is its own pinyin)."""
    return "".join(lazy_pinyin(text)).lower()


@functools.lru_cache(maxsize=100_000)
def initials(text: str) -> str:
    """The first letter of each syllable; a run of letters stays whole (BJ in BJ某某 is already initials)."""
    return "".join(lazy_pinyin(text, style=Style.FIRST_LETTER)).lower()


@dataclass(frozen=True)
class Candidate:
    name: str
    region: str | None = None  # an entity's region code
    birth_year: int | None = None  # a person's, when its identity number tells


@dataclass(frozen=True)
class NameMatch:
    score: float  # 0 to 1, 3 decimals
    matched: tuple[str, ...]  # SIGNALS, strongest first


def _name_signal(sent: str, found: str) -> tuple[float, str | None]:
    if sent.strip() == found.strip():
        return _BASE[EXACT], EXACT
    ns, nf = normalise(sent), normalise(found)
    if ns == nf:
        return _BASE[NORMALISED], NORMALISED
    cs, cf = core(ns), core(nf)
    ps, pf = pinyin(cs), pinyin(cf)
    if ps and ps == pf:
        return _BASE[PINYIN], PINYIN
    short_s, short_f = initials(cs), initials(cf)
    if len(short_s) >= 2 and short_s == short_f:
        return _BASE[INITIALS], INITIALS
    similarity = max(fuzz.ratio(cs, cf), fuzz.ratio(ps, pf)) / 100 * _FUZZY_WEIGHT
    return similarity, FUZZY if similarity > 0 else None


def match(sent: str, candidate: Candidate, region: str | None = None, birth_year: int | None = None) -> NameMatch:
    """How well `candidate` matches a name sent with an optional region (a code or its prefix: 3702 is in
    370200) and birth year; a detail the candidate lacks neither confirms nor lowers."""
    score, signal = _name_signal(sent, candidate.name)
    matched = [signal] if signal else []
    if region and candidate.region:
        if candidate.region.startswith(region.strip()):
            matched.append(REGION)
        else:
            score *= _REGION_MISMATCH
    if birth_year is not None and candidate.birth_year is not None:
        if candidate.birth_year == birth_year:
            matched.append(BIRTH_YEAR)
        else:
            score *= _BIRTH_YEAR_MISMATCH
    return NameMatch(round(score, 3), tuple(matched))


def shortlist(query: NameQuery, found: Sequence[Candidate]) -> list[tuple[int, NameMatch]]:
    """The candidates of a name among what its search found: (position in `found`, match), best first (equal
    scores in the order found), at most MAX_CANDIDATES, none under MIN_SCORE or not `close_enough`."""
    sent_core = core(query.key)
    kept = []
    for i, candidate in enumerate(found):
        if not close_enough(sent_core, core(normalise(candidate.name))):
            continue
        m = match(query.name, candidate, region=query.region, birth_year=query.birth_year)
        if m.score >= MIN_SCORE:
            kept.append((i, m))
    kept.sort(key=lambda k: -k[1].score)
    return kept[:MAX_CANDIDATES]


def birth_year_of(id_number: str, id_type: str) -> int | None:
    """The birth year a resident identity number carries (digits 7 to 10); other documents tell none."""
    if id_type != "RIC" or len(id_number) != 18 or not id_number[6:10].isdigit():
        return None
    return int(id_number[6:10])
