"""A record a reader may not see is never named by reference — not by a grade reason, a listing's basis, a
path (its text, nodes or steps), an objection, a change-log entry, a count or the report page — checked on
the raw response bytes, for every role and every root field that can reach the records.

Hand-built graph, dated from today (the server's day). Firm A (青岛隐匿测试有限公司) has the legal
representative P (since 2019), who is also legal representative of firm C. Department D1 decided four
SERIOUS penalty records on A:

    RP-VISIBLE  PUBLIC, published: everyone sees it.
    RU-UNPUB    PUBLIC, never published: the public does not see it, every credential does.
    RR-REVOKED  PUBLIC, published, then revoked (an upheld objection): as RU-UNPUB.
    RX-SECRET   RESTRICTED, decided 47 days ago, the earliest: only A itself, D1's officers,
                investigators, sanctions officers and administrators see it.

D1 lists A on the joint-punishment list (L1-JOINT, since 10 days ago) on RP, RU and RX: A's grade is E, with
the listing and the three counting records as reasons (RR is revoked: it counts for nothing); P is bound,
the window starting at RX's decision, and C is flagged through P, so every binding, impact and flag path
runs through the three records. D1 also lists A on the key-attention list (L2-KEY) on RP alone. A objects
to RX (raised 20 days ago, overdue by now) and to RP. The change log holds the two listings and the two
objections.

Worked out by hand, a reader who may not see RX-SECRET (the public, another entity, another department's
officer) finds none of its id, summary, decision date or the objection's reason anywhere; one who may,
finds each where the field shows it. RU-UNPUB and RR-REVOKED likewise for the public alone.
"""

from __future__ import annotations

import datetime as dt
import json
from urllib.parse import quote
from zoneinfo import ZoneInfo

import pytest

from tests.conftest import entity_user, gql_as, investigator, officer, token
from tests.test_linkage import ric, uscc

D1, D2 = "370200-SCJG", "370200-SWJ"
A, B, C = uscc(931), uscc(932), uscc(933)
P = ric(91)
TODAY = dt.datetime.now(ZoneInfo("Asia/Shanghai")).date()


def _day(days_ago: int) -> str:
    return (TODAY - dt.timedelta(days=days_ago)).isoformat()


RX_DECIDED = _day(47)
# What names each record: its id, its summary; for RX also its decision date and the objection's reason.
MARKS = {
    "RX": ("RX-SECRET", "机密摘要X", RX_DECIDED, "机密异议理由"),
    "RU": ("RU-UNPUB", "未公示摘要U"),
    "RR": ("RR-REVOKED", "已撤销摘要R"),
}

READERS: dict[str, dict[str, str]] = {
    "public": {},
    "own entity": entity_user(A),
    "other entity": entity_user(B, "entity-user-b"),
    "other department's officer": officer(D2, "officer-d2"),
    "D1 officer": officer(D1, "officer-d1"),
    "investigator": investigator(),
    "sanctions officer": {**token("SANCTIONS", "sanctions-1"), "x-purpose": quote("处罚前核查 test")},
    "administrator": token("ADMIN", "admin-1"),
}
STAFF = {"other department's officer", "D1 officer", "investigator", "sanctions officer", "administrator"}
# Who may see each record (the permission table, and publication for the public).
SEES = {
    "RX": {"own entity", "D1 officer", "investigator", "sanctions officer", "administrator"},
    "RU": set(READERS) - {"public"},
    "RR": set(READERS) - {"public"},
}


def _record(rid: str, days_ago: int, summary: str, **extra: str) -> dict:
    return {
        "kind": "record",
        "id": rid,
        "subject": {"entity": A},
        "category": "PENALTY",
        "severity": "SERIOUS",
        "department": D1,
        "decidedOn": _day(days_ago),
        "summary": summary,
        **extra,
    }


LIST = """mutation($input: ListingInput!) { listSubject(input: $input) { __typename
  ... on Listed { impact { windowStart boundPersons { path { text } } } } ... on Refusal { code message } } }"""
RAISE = """mutation($input: ObjectionInput!) { raiseObjection(input: $input) { __typename
  ... on Objection { id } ... on Refusal { code message } } }"""


@pytest.fixture(scope="module")
def hidden(module_graph, api):
    lines = [
        {"kind": "department", "code": D1, "name": "青岛市市场监督管理局", "region": "370200"},
        {"kind": "department", "code": D2, "name": "青岛市税务局", "region": "370200"},
        {"kind": "entity", "uscc": A, "name": "青岛隐匿测试有限公司", "form": "COMPANY", "status": "ACTIVE"},
        {"kind": "entity", "uscc": B, "name": "青岛旁观测试有限公司", "form": "COMPANY", "status": "ACTIVE"},
        {"kind": "entity", "uscc": C, "name": "青岛关联测试有限公司", "form": "COMPANY", "status": "ACTIVE"},
        {"kind": "person", "idNumber": P, "name": "隐责人"},
        {"kind": "role", "person": P, "entity": A, "role": "LEGAL_REPRESENTATIVE", "since": "2019-05-01"},
        {"kind": "role", "person": P, "entity": C, "role": "LEGAL_REPRESENTATIVE", "since": "2019-05-01"},
        _record("RP-VISIBLE", 40, "公示摘要P", publishedOn=_day(35)),
        _record("RU-UNPUB", 38, MARKS["RU"][1]),
        _record("RR-REVOKED", 36, MARKS["RR"][1], publishedOn=_day(33)),
        _record("RX-SECRET", 47, MARKS["RX"][1], disclosure="RESTRICTED"),
    ]
    outcome = module_graph.import_lines(lines)
    assert outcome.code == 0, outcome.rejects
    module_graph.query(
        "MATCH (r:Record {id: 'RR-REVOKED'}) SET r.status = 'REVOKED', r.revokedOn = $d, r.publicationEndedOn = $d",
        d=TODAY - dt.timedelta(days=30),
    )
    for lid, code, basis in (
        ("L1-JOINT", "JOINT_PUNISHMENT", ["RP-VISIBLE", "RU-UNPUB", "RX-SECRET"]),
        ("L2-KEY", "KEY_ATTENTION", ["RP-VISIBLE"]),
    ):
        listing = {"subject": {"uscc": A}, "list": code, "basis": basis, "since": _day(10), "id": lid}
        listed = gql_as(api, officer(D1, "officer-d1"), LIST, input=listing)["data"]["listSubject"]
        assert listed["__typename"] == "Listed", listed
    for target, reason in (("RX-SECRET", MARKS["RX"][3]), ("RP-VISIBLE", "公开记录的异议")):
        objection = {"target": {"record": target}, "reason": reason, "raisedOn": _day(20)}
        raised = gql_as(api, entity_user(A), RAISE, input=objection)["data"]["raiseObjection"]
        assert raised["__typename"] == "Objection", raised
    return module_graph


PATH = "path { text nodes { kind key name } steps { relation fromKey toKey since } }"
FIELDS: dict[str, tuple[str, dict]] = {
    "entity": (
        """query($u: USCC!) { entity(uscc: $u) {
        records(first: 50) { totalCount edges { node { id: recordId summary decidedOn } } }
        listings { totalCount edges { node { id: listingId basis undisclosedBasis } } }
        commitments { breachRecord }
        grade { grade reasons { code message recordId listingId } } } }""",
        {"u": A},
    ),
    "grade": ("""query($u: USCC!) { grade(uscc: $u) { grade reasons { code message recordId } } }""", {"u": A}),
    "exposure": (
        f"""query($s: SubjectInput!) {{ exposure(subject: $s) {{ bindings {{ windowStart {PATH} }} }} }}""",
        {"s": {"uscc": A}},
    ),
    "exposure of the person": (
        f"""query($s: SubjectInput!) {{ exposure(subject: $s) {{ bindings {{ windowStart {PATH} }} }} }}""",
        {"s": {"idNumber": P}},
    ),
    "listingImpact": (
        f"""query {{ listingImpact(listing: "L1-JOINT") {{ windowStart
        boundPersons {{ {PATH} }} relatedEntities {{ flags {{ reason {PATH} }} }} }} }}""",
        {},
    ),
    "eligibility": (
        f"""query($s: SubjectInput!) {{ eligibility(subject: $s, scenario: BIDDING) {{ allowed
        decidingMeasures {{ binding {{ windowStart {PATH} }} }} }} }}""",
        {"s": {"uscc": A}},
    ),
    "changeLog": (
        """query($s: SubjectInput!) { changeLog(subject: $s, first: 100) { totalCount
        edges { node { kind key summary before after } } } }""",
        {"s": {"uscc": A}},
    ),
    "objections": (
        """query($s: SubjectInput!) { objections(subject: $s) {
        totalCount edges { node { target { id } reason } } } }""",
        {"s": {"uscc": A}},
    ),
    "overdueObjections": (
        f"""query {{ overdueObjections(department: "{D1}") {{
        totalCount edges {{ node {{ target {{ id }} reason }} }} }} }}""",
        {},
    ),
    "publicRecords": (
        """query($u: USCC!) { publicRecords(uscc: $u) { totalCount edges { node { id: recordId summary } } } }""",
        {"u": A},
    ),
    # fields that reach no record: nothing of one may show there either
    "person": (
        """query($p: String!) { person(idNumber: $p) { name records { totalCount } listings { totalCount } } }""",
        {"p": P},
    ),
    "neighborhood": (
        """query($s: SubjectInput!) { neighborhood(node: $s) {
        nodes { key name listed bound } edges { relation } } }""",
        {"s": {"uscc": A}},
    ),
    "paths": (
        """query($a: SubjectInput!, $c: SubjectInput!) { paths(from: $a, to: $c) {
        text nodes { kind key name } steps { relation fromKey toKey since } } }""",
        {"a": {"uscc": A}, "c": {"uscc": C}},
    ),
    "controllers": ("""query($u: USCC!) { controllers(uscc: $u) { declared { name } } }""", {"u": A}),
    "search": ("""query { search(query: "隐匿测试") { edges { node { kind key name } } } }""", {}),
    "department": (f"""query {{ department(code: "{D1}") {{ code name region }} }}""", {}),
}
# Who may call each field (domain/permissions.py): the others get an error, which names nothing either.
ALLOWED = {
    "person": STAFF,
    "exposure of the person": STAFF,
    "changeLog": STAFF,
    "objections": STAFF | {"own entity"},
    "overdueObjections": STAFF - {"other department's officer"},
}
# Which marks a field shows to a reader who may see everything (worked out from the graph above).
SHOWS = {
    "entity": {*MARKS["RX"][:3], *MARKS["RU"], *MARKS["RR"]},
    "grade": {"RX-SECRET", "RU-UNPUB"},
    "exposure": {"RX-SECRET", RX_DECIDED, "RU-UNPUB"},
    "exposure of the person": {"RX-SECRET", RX_DECIDED, "RU-UNPUB"},
    "listingImpact": {"RX-SECRET", RX_DECIDED, "RU-UNPUB"},
    "eligibility": {"RX-SECRET", RX_DECIDED, "RU-UNPUB"},
    "changeLog": {"RX-SECRET", MARKS["RX"][3], "RU-UNPUB"},
    "objections": {"RX-SECRET", MARKS["RX"][3]},
    "overdueObjections": {"RX-SECRET", MARKS["RX"][3]},
    "publicRecords": set(),
    "person": set(),
    "neighborhood": set(),
    "paths": set(),
    "controllers": set(),
    "search": set(),
    "department": set(),
}


def _named(mark: str, raw: str) -> bool:
    """Whether the raw bytes carry the mark, as UTF-8 or as the JSON escapes of its characters."""
    return mark in raw or json.dumps(mark)[1:-1] in raw


def _raw(api, reader: str, field: str) -> str:
    query, variables = FIELDS[field]
    response = api.post("/graphql", json={"query": query, "variables": variables}, headers=READERS[reader])
    assert response.status_code == 200, response.text
    return response.content.decode("utf-8")


# The change log names RU-UNPUB only in L1-JOINT's entry, which also names RX-SECRET: left out whole for a
# reader who may not see RX-SECRET, RU-UNPUB with it.
ALSO_NEEDS = {("changeLog", "RU-UNPUB"): "RX"}


def _expected(reader: str, field: str, mark: str) -> bool:
    record = next(r for r, marks in MARKS.items() if mark in marks)
    sees = reader in SEES[record] and reader in SEES[ALSO_NEEDS.get((field, mark), record)]
    return reader in ALLOWED.get(field, set(READERS)) and mark in SHOWS[field] and sees


@pytest.mark.parametrize("field", list(FIELDS))
@pytest.mark.parametrize("reader", list(READERS))
def test_a_record_is_named_exactly_where_the_reader_may_see_it(api, hidden, reader, field):
    raw = _raw(api, reader, field)
    found = {mark for marks in MARKS.values() for mark in marks if _named(mark, raw)}
    expected = {mark for marks in MARKS.values() for mark in marks if _expected(reader, field, mark)}
    assert found == expected, raw
    if reader in ALLOWED.get(field, set(READERS)):
        assert '"errors"' not in raw, raw


def test_the_report_page_names_no_hidden_record(api, hidden):
    page = api.get(f"/report/{A}").content.decode("utf-8")
    assert "RP-VISIBLE" in page and "公示摘要P" in page
    for marks in MARKS.values():
        for mark in marks:
            assert not _named(mark, page)
    # the grade still says it rests on records the public does not see, in the report's Chinese
    assert "依据未向您公开的记录" in page and "UNDISCLOSED_RECORD" not in page


def gql_data(api, reader: str, field: str) -> dict:
    query, variables = FIELDS[field]
    return gql_as(api, READERS[reader], query, **variables)["data"]


def test_a_hidden_basis_is_counted_not_named(api, hidden):
    def bases(reader: str) -> dict:
        listings = gql_data(api, reader, "entity")["entity"]["listings"]["edges"]
        return {e["node"]["id"]: (e["node"]["basis"], e["node"]["undisclosedBasis"]) for e in listings}

    assert bases("public") == {"L1-JOINT": (["RP-VISIBLE"], 2), "L2-KEY": (["RP-VISIBLE"], 0)}
    assert bases("other department's officer")["L1-JOINT"] == (["RP-VISIBLE", "RU-UNPUB"], 1)
    assert bases("D1 officer")["L1-JOINT"] == (["RP-VISIBLE", "RU-UNPUB", "RX-SECRET"], 0)


def test_the_grade_is_the_same_for_everyone_and_explained_without_naming(api, hidden):
    public = gql_data(api, "public", "grade")["grade"]
    d1 = gql_data(api, "D1 officer", "grade")["grade"]
    assert public["grade"] == d1["grade"] == "E"
    assert {(r["code"], r["recordId"]) for r in d1["reasons"]} >= {
        ("SERIOUS_RECORD", "RP-VISIBLE"),
        ("SERIOUS_RECORD", "RU-UNPUB"),
        ("SERIOUS_RECORD", "RX-SECRET"),
    }
    undisclosed = [r for r in public["reasons"] if r["code"] == "UNDISCLOSED_RECORD"]
    assert len(undisclosed) == 1 and undisclosed[0]["recordId"] is None  # once, for RU and RX together
    assert ("SERIOUS_RECORD", "RP-VISIBLE") in {(r["code"], r["recordId"]) for r in public["reasons"]}


def test_a_path_through_a_hidden_record_passes_one_undisclosed_node(api, hidden):
    impact = gql_data(api, "other department's officer", "listingImpact")["listingImpact"]
    assert impact["windowStart"] is None  # it is RX's decision date
    (bound,) = impact["boundPersons"]
    keys = [n["key"] for n in bound["path"]["nodes"]]
    assert keys[-3:] == ["RP-VISIBLE", "RU-UNPUB", "UNDISCLOSED"]
    hidden_step = bound["path"]["steps"][-1]
    assert (hidden_step["toKey"], hidden_step["since"]) == ("UNDISCLOSED", None)
    assert "a record not disclosed to you" in bound["path"]["text"]
    flags = [f for e in impact["relatedEntities"] for f in e["flags"]]
    assert flags and all("RX-SECRET" not in f["path"]["text"] for f in flags)
    public = gql_data(api, "public", "exposure")["exposure"]["bindings"]
    assert {n["key"] for b in public for n in b["path"]["nodes"] if n["kind"] == "RECORD"} <= {
        "RP-VISIBLE",
        "UNDISCLOSED",
    }
    d1 = gql_data(api, "D1 officer", "listingImpact")["listingImpact"]
    assert d1["windowStart"] == RX_DECIDED


def test_a_change_or_objection_naming_a_hidden_record_is_left_out_and_not_counted(api, hidden):
    def log(reader: str) -> tuple[int, set[str]]:
        data = gql_data(api, reader, "changeLog")["changeLog"]
        return data["totalCount"], {e["node"]["key"] for e in data["edges"]}

    total, keys = log("other department's officer")
    assert total == len(keys) and "L2-KEY" in keys and "L1-JOINT" not in keys
    full_total, full_keys = log("D1 officer")
    assert full_total == total + 2 and {"L1-JOINT", "L2-KEY"} <= full_keys  # L1 and the objection to RX
    objections = gql_data(api, "other department's officer", "objections")["objections"]
    assert objections["totalCount"] == 1
    assert [e["node"]["target"]["id"] for e in objections["edges"]] == ["RP-VISIBLE"]


@pytest.mark.parametrize("reader", list(READERS))
def test_counts_count_only_what_the_reader_sees(api, hidden, reader):
    entity = gql_data(api, reader, "entity")["entity"]
    seen = {"RP-VISIBLE"} | {MARKS[r][0] for r in ("RU", "RR", "RX") if reader in SEES[r]}
    assert {e["node"]["id"] for e in entity["records"]["edges"]} == seen
    assert entity["records"]["totalCount"] == len(seen)
    basis = {e["node"]["id"]: e["node"] for e in entity["listings"]["edges"]}["L1-JOINT"]
    assert len(basis["basis"]) + basis["undisclosedBasis"] == 3


def test_the_public_pages_a_search_of_entity_names_through_the_index(api, hidden):
    page = """query($after: String) { search(query: "测试有限公司", first: 2, after: $after) {
      edges { node { kind key } } pageInfo { hasNextPage endCursor } } }"""
    first = gql_as(api, {}, page, after=None)["data"]["search"]
    assert len(first["edges"]) == 2 and first["pageInfo"]["hasNextPage"]
    second = gql_as(api, {}, page, after=first["pageInfo"]["endCursor"])["data"]["search"]
    keys = [e["node"]["key"] for e in first["edges"] + second["edges"]]
    assert sorted(keys) == sorted([A, B, C]) and not second["pageInfo"]["hasNextPage"]
    assert {e["node"]["kind"] for e in first["edges"] + second["edges"]} == {"ENTITY"}


LIST_ON = """mutation($input: ListingInput!) { listSubject(input: $input) {
  __typename ... on Refusal { code message field } } }"""


def _list_on_red(api, reader: str, basis: str) -> dict:
    listing = {"subject": {"uscc": A}, "list": "RED", "basis": [basis], "since": _day(1), "id": f"LR-{reader[:5]}"}
    return gql_as(api, READERS[reader], LIST_ON, input=listing)["data"]["listSubject"]


def test_a_basis_the_officer_may_not_see_is_not_known_like_one_that_does_not_exist(api, hidden):
    """A red listing on RX (a penalty) is refused BASIS_POLARITY to D1's officer, who sees RX; another
    department's officer hears only that RX is not known, worded as for an id that does not exist, so the
    refusal tells nothing of RX's polarity or decision day."""
    assert _list_on_red(api, "D1 officer", "RX-SECRET")["code"] == "BASIS_POLARITY"
    hidden_answer = _list_on_red(api, "other department's officer", "RX-SECRET")
    missing_answer = _list_on_red(api, "other department's officer", "RX-NOWHERE")
    assert hidden_answer["code"] == missing_answer["code"] == "BASIS_NOT_FOUND"
    assert hidden_answer["message"].replace("RX-SECRET", "?") == missing_answer["message"].replace("RX-NOWHERE", "?")
    assert hidden.query("MATCH (l:Listing {list: 'RED'}) RETURN count(l) AS n")[0]["n"] == 0


PUBLISH = """mutation($id: String!, $on: Date) { publishRecord(id: $id, publishedOn: $on) {
  __typename ... on Refusal { code message } } }"""
ANSWER = """mutation($id: String!) { answerObjection(id: $id, upheld: false, answer: "不成立") {
  __typename ... on Refusal { code message } } }"""


def _not_found(body: dict) -> tuple[str, str]:
    (error,) = body["errors"]
    return error["extensions"]["code"], error["message"]


def test_changes_to_a_hidden_record_are_refused_as_for_one_that_does_not_exist(api, hidden):
    """Another department's officer who publishes RX, or answers the objection to it, hears NOT_FOUND worded
    as for an id that does not exist — not NOT_YOUR_DEPARTMENT, which would tell that RX exists and who
    decided it. D1's officer, who sees RX, is told the real reason. Nothing changes."""
    (objection,) = hidden.query("MATCH (o:Objection)-[:CONCERNS]->(:Record {id: 'RX-SECRET'}) RETURN o.id AS id")
    d2 = READERS["other department's officer"]
    for document, hidden_id, missing_id in (
        (PUBLISH, "RX-SECRET", "RX-NOWHERE"),
        (ANSWER, objection["id"], "O-NOWHERE"),
    ):
        code, message = _not_found(gql_as(api, d2, document, id=hidden_id))
        missing_code, missing_message = _not_found(gql_as(api, d2, document, id=missing_id))
        assert (code, message.replace(hidden_id, "?")) == (missing_code, missing_message.replace(missing_id, "?"))
        assert code == "NOT_FOUND"
        assert "370200" not in message
    # D1's officer is told why RX cannot be published the day before its decision (and nothing is written).
    before_decision = (dt.date.fromisoformat(RX_DECIDED) - dt.timedelta(days=1)).isoformat()
    d1 = gql_as(api, READERS["D1 officer"], PUBLISH, id="RX-SECRET", on=before_decision)["data"]["publishRecord"]
    assert d1 == {"__typename": "Refusal", "code": "BEFORE_DECISION", "message": d1["message"]}
    assert hidden.query("MATCH (o:Objection {id: $id}) RETURN o.status AS s", id=objection["id"])[0]["s"] == "OPEN"
