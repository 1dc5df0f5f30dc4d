"""Matching a subject known only by name (batch screening, issue 15): how a name is normalised, and how
well a candidate's name, region and birth year match what the clerk sent, as a score from 0 to 1 with
the signals that matched. Candidates come from the full-text index (cypher/screen.cypher); the ranking
is here, so the same rules answer wherever candidates come from.

Signals, strongest first: the same text (EXACT); the same after normalisation (NORMALISED: full-/half-width,
brackets, spaces, case, the 有限公司 suffix variants); the same pinyin, so homophones and a name typed in
pinyin match (PINYIN); the same initials, the way clerks abbreviate (INITIALS); otherwise edit-distance
similarity of the text or the pinyin (FUZZY). A region or birth year sent confirms (REGION, BIRTH_YEAR) or,
when it differs, lowers the score."""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

from pypinyin import Style, lazy_pinyin
from rapidfuzz import fuzz

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


def core(normalised: str) -> str:
    """What distinguishes a firm: the normalised name without brackets and the company suffix (which every
    firm shares, so it would only blur pinyin, initials and similarity)."""
    text = normalised[: -len(CANONICAL_SUFFIX)] if normalised.endswith(CANONICAL_SUFFIX) else normalised
    return text.replace("(", "").replace(")", "")


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


def birth_year_of(id_number: str, id_type: str) -> int | None:
    """The birth year a resident identity number carries (digits 7 to 10); other documents tell none."""
    if id_type != "RIC" or len(id_number) != 18 or not id_number[6:10].isdigit():
        return None
    return int(id_number[6:10])
