"""The seed generator (graph_api/seed/generator.py) and the committed demo file (seed/demo.jsonl): valid,
deterministic, self-contained interchange data with the storylines the linkage questions need.
Pure Python: no database."""

from __future__ import annotations

import io
import itertools
import json
import random
import tracemalloc
from collections import Counter, defaultdict
from datetime import date, timedelta
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from graph_api.cli.seed import seed_command
from graph_api.domain.identifiers import ric_check_char, uscc_check_char, validate_person_id, validate_uscc
from graph_api.seed import generate, tables

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "seed" / "demo.jsonl"
SCHEMA = ROOT / "docs" / "interchange" / "schema.json"
AS_OF = date(2026, 6, 30)
NEGATIVE = {
    "PENALTY",
    "COERCIVE_MEASURE",
    "JUDGMENT_DEFAULT",
    "FALSE_LITIGATION",
    "COMPLAINT",
    "COMMITMENT_BREACH",
    "INTERVIEW",
}
POSITIVE = {"REWARD", "HONOR", "DONATION", "VOLUNTEER"}
RESPONSIBLE = {"LEGAL_REPRESENTATIVE", "PRINCIPAL", "ACTUAL_CONTROLLER"}
USCC_PREFIX = {
    "COMPANY": {"91"},
    "PARTNERSHIP": {"91"},
    "INDIVIDUAL_BUSINESS": {"92"},
    "FARMERS_COOPERATIVE": {"93"},
    "SOCIAL_ORGANIZATION": {"51", "52", "53"},
    "PUBLIC_INSTITUTION": {"12"},
    "RURAL_COLLECTIVE": {"N2", "N3"},
}


def run(entities: int, seed: int) -> tuple[str, dict[str, int]]:
    buf = io.StringIO()
    counts = generate(buf, entities, seed)
    return buf.getvalue(), counts


def d(s: str | None) -> date | None:
    return date.fromisoformat(s) if s else None


def party(p: dict) -> tuple[str, str]:
    return ("entity", p["entity"]) if "entity" in p else ("person", p["person"])


class Data:
    """A parsed file, indexed by kind and key."""

    def __init__(self, text: str):
        self.lines = [json.loads(x) for x in text.splitlines()]
        self.by = defaultdict(list)
        for line in self.lines:
            self.by[line["kind"]].append(line)
        self.entities = {e["uscc"]: e for e in self.by["entity"]}
        self.persons = {p["idNumber"]: p for p in self.by["person"]}
        self.records = {r["id"]: r for r in self.by["record"]}
        self.roles = defaultdict(list)  # entity -> role lines
        self.person_roles = defaultdict(list)
        for r in self.by["role"]:
            self.roles[r["entity"]].append(r)
            self.person_roles[r["person"]].append(r)

    def birth(self, pid: str) -> date:
        return date(int(pid[6:10]), int(pid[10:12]), int(pid[12:14]))

    def held(self, person: str, entity: str, roles: set[str], start: date, end: date) -> bool:
        """Did the person hold one of `roles` at `entity` at some time in [start, end]?"""
        return any(
            r["person"] == person
            and r["role"] in roles
            and d(r["since"]) <= end
            and (r.get("until") is None or d(r["until"]) > start)
            for r in self.roles[entity]
        )

    def joint_punishments(self):
        for li in self.by["listing"]:
            if li["list"] == "JOINT_PUNISHMENT" and "entity" in li["subject"]:
                start = min(d(self.records[b]["decidedOn"]) for b in li["basis"])
                yield li, li["subject"]["entity"], start, d(li["since"])

    def bound(self, entity: str, start: date, since: date) -> list[str]:
        return sorted(
            {
                r["person"]
                for r in self.roles[entity]
                if r["role"] in RESPONSIBLE and self.held(r["person"], entity, RESPONSIBLE, start, since)
            }
        )

    # --- storylines ------------------------------------------------------------------------------
    def replaced_before_listing(self):
        """(listing, old, new): the legal representative changed between the violation and the listing."""
        for li, e, start, since in self.joint_punishments():
            for r in self.roles[e]:
                if r["role"] == "LEGAL_REPRESENTATIVE" and r.get("until") and start < d(r["until"]) < since:
                    new = [n for n in self.roles[e] if n["role"] == "LEGAL_REPRESENTATIVE" and n["since"] == r["until"]]
                    if new:
                        yield li["id"], r["person"], new[0]["person"]

    def appointed_after_listing(self):
        for li, e, _, since in self.joint_punishments():
            for r in self.roles[e]:
                if r["role"] == "LEGAL_REPRESENTATIVE" and d(r["since"]) > since:
                    yield li["id"], r["person"]

    def phoenixes(self):
        """(listing, person, other entity, 'new' | 'takeover'): a bound person became legal
        representative of another firm after the listing started."""
        for li, e, start, since in self.joint_punishments():
            for p in self.bound(e, start, since):
                for r in self.person_roles[p]:
                    if r["entity"] != e and r["role"] == "LEGAL_REPRESENTATIVE" and d(r["since"]) > since:
                        est = d(self.entities[r["entity"]]["established"])
                        yield li["id"], p, r["entity"], "new" if est > since else "takeover"

    def director_and_legal_rep(self):
        for p, roles in self.person_roles.items():
            lrs = {r["entity"] for r in roles if r["role"] == "LEGAL_REPRESENTATIVE"}
            dirs = {r["entity"] for r in roles if r["role"] == "DIRECTOR"}
            if any(a != b for a in dirs for b in lrs):
                yield p


@pytest.fixture(scope="module")
def sample() -> Data:
    return Data(run(2000, 7)[0])


@pytest.fixture(scope="module")
def demo() -> Data:
    return Data(DEMO.read_text(encoding="utf-8"))


@pytest.fixture(scope="module", params=["sample", "demo"])
def data(request) -> Data:
    return request.getfixturevalue(request.param)


def test_deterministic():
    a, ca = run(300, 11)
    b, cb = run(300, 11)
    assert a == b and ca == cb
    assert run(300, 12)[0] != a


def test_demo_is_what_the_generator_makes():
    assert DEMO.read_text(encoding="utf-8") == run(300, 20240501)[0]


def test_counts_match_lines_and_entities_are_exact(sample):
    assert Counter(x["kind"] for x in sample.lines) == Counter({k: v for k, v in run(2000, 7)[1].items() if v})
    assert len(sample.entities) == 2000


def test_identifier_arithmetic_matches_the_standards():
    """graph_api/seed/tables.py computes check characters from cached partial sums; they must be the ones of
    graph_api.identifiers (GB 32100 and GB 11643), and organisation codes must never repeat."""
    rnd = random.Random(3)
    codes = set()
    for i in range(20000):
        district = rnd.choice(tables.DISTRICTS)[0]
        code = tables.uscc(rnd.choice(("91", "92", "93", "51", "52", "53", "12", "N2", "N3")), district, i, i % 3 == 0)
        assert code[17] == uscc_check_char(code[:17])
        codes.add(code[8:17])
        birth = f"{rnd.randint(1955, 2000):04d}{rnd.randint(1, 12):02d}{rnd.randint(1, 28):02d}"
        number = tables.ric(district, birth, rnd.randint(1, 999))
        assert number[17] == ric_check_char(number[:17])
    assert len(codes) == 20000


def test_memory_does_not_grow_with_entities():
    class Sink:
        def write(self, text: str) -> None:
            pass

    peaks = []
    for entities in (1500, 6000):
        tracemalloc.start()
        generate(Sink(), entities, 1)
        peaks.append(tracemalloc.get_traced_memory()[1])
        tracemalloc.stop()
    assert peaks[1] < 1.6 * peaks[0] and peaks[1] < 16_000_000, peaks


def test_cli_writes_the_file_and_reports_counts(tmp_path):
    app = typer.Typer()
    app.command()(seed_command)
    out = tmp_path / "data" / "seed.jsonl"
    result = CliRunner().invoke(app, ["--entities", "40", "--seed", "9", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8") == run(40, 9)[0]
    assert "entity" in result.output and not list(tmp_path.glob("data/*.part"))
    assert CliRunner().invoke(app, ["--entities", "40", "-o", str(out), "--as-of", "2026-02-30"]).exit_code != 0


def test_counts_scale_linearly():
    small, large = run(200, 5)[1], run(2000, 5)[1]
    assert large["entity"] == 10 * small["entity"] == 2000
    assert large["department"] == small["department"]
    for kind in ("person", "role", "holding", "record"):
        assert 6 <= large[kind] / small[kind] <= 14, kind
    per_entity = {k: v / 2000 for k, v in large.items()}
    assert 1.0 <= per_entity["person"] <= 2.0 and 1.8 <= per_entity["role"] <= 3.2
    assert 0.7 <= per_entity["holding"] <= 1.5 and 1.0 <= per_entity["record"] <= 2.0
    assert 0.02 <= per_entity["listing"] <= 0.1


def test_every_line_follows_the_schema(data):
    import jsonschema

    validator = jsonschema.Draft202012Validator(json.loads(SCHEMA.read_text(encoding="utf-8")))
    for line in data.lines:
        errors = list(validator.iter_errors(line))
        assert not errors, (line, errors[0].message)


def test_identifiers_are_valid_and_match_the_form(data):
    for e in data.by["entity"]:
        assert validate_uscc(e["uscc"]) == e["uscc"]
        assert e["uscc"][:2] in USCC_PREFIX[e["form"]], e
        assert e["uscc"][2:8] == e["region"]
    for p in data.by["person"]:
        assert validate_person_id(p["idNumber"], p.get("idType", "RIC")) == p["idNumber"]
        if p.get("idType", "RIC") == "RIC":
            assert date(1955, 1, 1) <= data.birth(p["idNumber"]) <= date(2000, 12, 31)
    assert len(data.persons) > 0 and all(len(p["name"]) >= 2 for p in data.by["person"])


def test_keys_are_unique(data):
    keys = {
        "department": lambda x: x["code"],
        "entity": lambda x: x["uscc"],
        "person": lambda x: x["idNumber"],
        "role": lambda x: (x["person"], x["entity"], x["role"], x["since"]),
        "holding": lambda x: (party(x["holder"]), x["entity"], x["since"]),
        "branch": lambda x: x["entity"],
        "record": lambda x: x["id"],
        "listing": lambda x: x["id"],
        "commitment": lambda x: x["id"],
    }
    for kind, key in keys.items():
        seen = Counter(key(x) for x in data.by[kind])
        assert not [k for k, n in seen.items() if n > 1], kind


def test_every_reference_resolves(data):
    depts = {x["code"] for x in data.by["department"]}

    def exists(p: dict) -> bool:
        return p["entity"] in data.entities if "entity" in p else p["person"] in data.persons

    for r in data.by["role"]:
        assert r["person"] in data.persons and r["entity"] in data.entities
    for h in data.by["holding"]:
        assert exists(h["holder"]) and h["entity"] in data.entities and party(h["holder"]) != ("entity", h["entity"])
    for b in data.by["branch"]:
        assert b["entity"] in data.entities and b["parent"] in data.entities and b["entity"] != b["parent"]
    for r in data.by["record"]:
        assert exists(r["subject"]) and r["department"] in depts
    for li in data.by["listing"]:
        assert exists(li["subject"]) and li["department"] in depts and li["basis"]
        assert all(b in data.records for b in li["basis"])
    for c in data.by["commitment"]:
        assert c["entity"] in data.entities and c["department"] in depts


def test_dates_are_plausible(data):
    for x in data.lines:
        for field in ("established", "since", "until", "decidedOn", "publishedOn", "madeOn", "dueOn"):
            if x.get(field):
                assert d(x[field]) <= AS_OF, x
        if x.get("until"):
            assert d(x["until"]) > d(x["since"]), x
    for r in data.by["role"]:
        assert d(r["since"]) >= d(data.entities[r["entity"]]["established"]), r
        assert d(r["since"]) >= data.birth(r["person"]) + timedelta(days=18 * 365), r
    for h in data.by["holding"]:
        assert d(h["since"]) >= d(data.entities[h["entity"]]["established"]), h
        if "entity" in h["holder"]:
            assert d(h["since"]) >= d(data.entities[h["holder"]["entity"]]["established"]), h
    for b in data.by["branch"]:
        assert d(data.entities[b["entity"]]["established"]) > d(data.entities[b["parent"]]["established"])
    for r in data.by["record"]:
        kind, key = party(r["subject"])
        start = d(data.entities[key]["established"]) if kind == "entity" else data.birth(key) + timedelta(days=18 * 365)
        assert d(r["decidedOn"]) >= start, r
        if r.get("publishedOn"):
            assert 0 <= (d(r["publishedOn"]) - d(r["decidedOn"])).days <= 9, r
        assert ("severity" in r) == (r["category"] in NEGATIVE), r
    for c in data.by["commitment"]:
        assert d(c["madeOn"]) >= d(data.entities[c["entity"]]["established"])
        if c.get("dueOn"):
            assert d(c["dueOn"]) > d(c["madeOn"])


def test_one_legal_representative_at_a_time(data):
    for entity, roles in data.roles.items():
        for role in ("LEGAL_REPRESENTATIVE", "PRINCIPAL"):
            tenures = sorted((d(r["since"]), d(r.get("until")) or date.max) for r in roles if r["role"] == role)
            for (_, b1), (a2, _) in itertools.pairwise(tenures):
                assert b1 <= a2, (entity, role)


def test_holdings_never_exceed_the_whole(data):
    stakes = defaultdict(list)
    for h in data.by["holding"]:
        stakes[h["entity"]].append((d(h["since"]), d(h.get("until")) or date.max, h["ratio"]))
    for entity, rows in stakes.items():
        for day in {s for s, _, _ in rows}:
            active = [ratio for s, u, ratio in rows if s <= day < u]
            assert sum(round(x * 10000) for x in active) <= 10000, entity
            assert sum(active) <= 1 + 1e-9, entity


def test_listings_stand_on_records_of_their_subject(data):
    for li in data.by["listing"]:
        basis = [data.records[b] for b in li["basis"]]
        for r in basis:
            assert r["subject"] == li["subject"], li
            assert d(r["decidedOn"]) < d(li["since"]), li
        if li["list"] == "JOINT_PUNISHMENT":
            assert 1 <= len(basis) <= 2 and all(r["severity"] == "SERIOUS" for r in basis), li
        elif li["list"] == "KEY_ATTENTION":
            assert all(r.get("severity") == "GENERAL" for r in basis), li
        else:
            assert all(r["category"] in POSITIVE for r in basis), li


def test_the_demo_covers_every_kind_and_vocabulary(demo):
    assert set(demo.by) == {
        "department",
        "entity",
        "person",
        "role",
        "holding",
        "branch",
        "record",
        "listing",
        "commitment",
    }
    assert {e["form"] for e in demo.by["entity"]} >= set(USCC_PREFIX)
    assert {r["role"] for r in demo.by["role"]} == {
        "LEGAL_REPRESENTATIVE",
        "PRINCIPAL",
        "ACTUAL_CONTROLLER",
        "DIRECTOR",
        "SUPERVISOR",
        "MANAGER",
    }
    assert {li["list"] for li in demo.by["listing"]} == {"JOINT_PUNISHMENT", "KEY_ATTENTION", "RED"}
    assert any(li.get("until") for li in demo.by["listing"])
    assert {c["type"] for c in demo.by["commitment"]} == {
        "APPROVAL_SUBSTITUTION",
        "VOLUNTARY",
        "INDUSTRY_SELF_DISCIPLINE",
        "CREDIT_REPAIR",
    }
    assert {c["status"] for c in demo.by["commitment"]} == {"PENDING", "FULFILLED", "BREACHED"}
    assert {r["disclosure"] for r in demo.by["record"]} == {"PUBLIC", "SHARED", "RESTRICTED"}
    assert {r["severity"] for r in demo.by["record"] if "severity" in r} == {"MINOR", "GENERAL", "SERIOUS"}
    assert len({e["region"] for e in demo.by["entity"]}) >= 40
    assert any(h.get("until") for h in demo.by["holding"])


def test_the_demo_has_multi_level_ownership(demo):
    owners = defaultdict(list)
    for h in demo.by["holding"]:
        if "entity" in h["holder"] and h["ratio"] > 0.5 and not h.get("until"):
            owners[h["entity"]].append(h["holder"]["entity"])

    def depth(e: str) -> int:
        return 1 + max((depth(o) for o in owners[e]), default=0)

    assert max(depth(e) for e in demo.entities) >= 3  # person → holding company → subsidiary → sub-subsidiary


def test_the_demo_has_the_storylines(demo):
    assert list(demo.replaced_before_listing())
    assert list(demo.appointed_after_listing())
    kinds = {k for *_, k in demo.phoenixes()}
    assert kinds == {"new", "takeover"}
    assert list(demo.director_and_legal_rep())
