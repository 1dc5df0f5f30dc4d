"""previewListing, the dry run of listSubject (issue 16), over GraphQL on test_linkage's graph without its
listing (as test_listings): firm A fined on 2023-10-10 (R1).

Worked out by hand (test_listings' docstring): listing A on JOINT_PUNISHMENT from 2024-01-15 binds MID, NEW
(legal representatives in the window 2023-10-10..2024-01-15) and CTRL (actual controller); it flags O1 and O2
as OWNED and M as SHARED_RESPONSIBLE_PERSON. The list's 13 default measures have 2+2+2+1+1+2+1+2+1+1+1+1+1
= 18 executing departments: 18 tasks, each for the region's department of that kind (370200-…); the
PERSONS-only measure RESTRICT_APPOINTMENT goes to 370200-SCJG for the three persons, not the firm.

The preview writes nothing (node and relationship counts unchanged, twice), answers exactly what
listSubject then answers for the same input, and gives listSubject's refusal codes as data.
"""

from __future__ import annotations

import pytest

from tests.conftest import gql_as, officer
from tests.conftest import gql_reader as gql
from tests.test_linkage import DEPT, O1, O2, A, M, build

IMPACT = """impact { listing { id list since until department { code } } subject { kind key name } asOf inForce
  windowStart
  boundPersons { person { name } personKey role since until bound current
                 path { text steps { relation fromKey toKey } } }
  currentRepresentatives { personKey role since until bound current }
  relatedEntities { entity { uscc } flags { reason path { text } } } }"""

PREVIEW = (
    """query($input: ListingInput!) { previewListing(input: $input) {
  wouldList refusals { code message field } listingId measures
  tasks { measure executorKind executor subjects } tasksPushed personsBound entitiesFlagged """
    + IMPACT
    + " } }"
)

LIST = (
    """mutation($input: ListingInput!) { listSubject(input: $input) { __typename
  ... on Listed { tasksPushed personsBound entitiesFlagged """
    + IMPACT
    + """ }
  ... on Refusal { code message field } } }"""
)


@pytest.fixture(scope="module")
def unlisted(module_graph):
    outcome = module_graph.import_lines([line for line in build() if line["kind"] != "listing"])
    assert outcome.code == 0, outcome.rejects
    return module_graph


def listing(**extra) -> dict:
    return {
        "subject": {"uscc": A},
        "list": "JOINT_PUNISHMENT",
        "basis": ["R1"],
        "since": "2024-01-15",
        "until": "2026-01-15",
        "id": "LP",
        **extra,
    }


def _totals(graph) -> tuple[int, int]:
    row = graph.query("RETURN COUNT { MATCH (n) } AS nodes, COUNT { MATCH ()-[r]->() } AS rels")[0]
    return row["nodes"], row["rels"]


def _preview(api, **extra) -> dict:
    body = gql_as(api, officer(DEPT), PREVIEW, input=listing(**extra))
    assert "errors" not in body, body
    return body["data"]["previewListing"]


def test_preview_answers_the_first_day_and_writes_nothing(api, unlisted):
    before = _totals(unlisted)
    first = _preview(api)
    assert _totals(unlisted) == before
    second = _preview(api)
    assert _totals(unlisted) == before
    assert first == second
    assert (
        unlisted.query("MATCH (n) WHERE n:Listing OR n:Task OR n:Change OR n:Alert RETURN count(n) AS n")[0]["n"] == 0
    )

    assert (first["wouldList"], first["refusals"], first["listingId"]) == (True, [], "LP")
    bound = {p["person"]["name"]: p["role"] for p in first["impact"]["boundPersons"]}
    # MID, NEW, CTRL of test_linkage
    assert bound == {"中李": "LEGAL_REPRESENTATIVE", "新王": "LEGAL_REPRESENTATIVE", "控刘": "ACTUAL_CONTROLLER"}
    keys = {p["personKey"] for p in first["impact"]["boundPersons"]}
    flags = {(e["entity"]["uscc"], f["reason"]) for e in first["impact"]["relatedEntities"] for f in e["flags"]}
    assert flags == {(O1, "OWNED"), (O2, "OWNED"), (M, "SHARED_RESPONSIBLE_PERSON")}
    assert (first["personsBound"], first["entitiesFlagged"], first["tasksPushed"]) == (3, 3, 18)
    assert len(first["tasks"]) == 18 and len(first["measures"]) == 13
    appointment = [t for t in first["tasks"] if t["measure"] == "RESTRICT_APPOINTMENT"]
    assert [(t["executor"], sorted(t["subjects"])) for t in appointment] == [("370200-SCJG", sorted(keys))]
    bidding = sorted((t["executor"], t["subjects"][0]) for t in first["tasks"] if t["measure"] == "RESTRICT_BIDDING")
    assert bidding == [("370200-CZJ", A), ("370200-ZJJ", A)]  # BOTH: the firm first, then the persons


def test_preview_refuses_as_list_subject_would(api, unlisted):
    for extra, code in (
        ({"basis": ["nope"]}, "BASIS_NOT_FOUND"),
        ({"list": "RED"}, "BASIS_POLARITY"),
        ({"subject": {"uscc": "91370200MA0000999X"}}, None),  # not a valid USCC: an input error for both
    ):
        listed = gql_as(api, officer(DEPT), LIST, input=listing(**extra))
        previewed = gql_as(api, officer(DEPT), PREVIEW, input=listing(**extra))
        if code is None:
            assert previewed["errors"][0]["extensions"]["code"] == listed["errors"][0]["extensions"]["code"]
            continue
        answer = previewed["data"]["previewListing"]
        assert (answer["wouldList"], answer["impact"], answer["tasks"]) == (False, None, [])
        assert answer["refusals"] == [{k: listed["data"]["listSubject"][k] for k in ("code", "message", "field")}], (
            answer
        )
        assert answer["refusals"][0]["code"] == code
    bad = gql_as(api, officer(DEPT), PREVIEW, input=listing(until="2024-01-01"))
    assert bad["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "field": "until"}
    assert gql(api, PREVIEW, input=listing())["errors"][0]["extensions"]["code"] == "FORBIDDEN"  # an investigator
    assert unlisted.query("MATCH (n:Listing) RETURN count(n) AS n")[0]["n"] == 0


def test_preview_is_what_list_subject_does(api, unlisted):
    preview = _preview(api)
    listed = gql_as(api, officer(DEPT), LIST, input=listing())["data"]["listSubject"]
    assert listed["__typename"] == "Listed", listed
    for name in ("impact", "tasksPushed", "personsBound", "entitiesFlagged"):
        assert preview[name] == listed[name], name
    # the tasks written are the tasks previewed: (measure, executor, subjects) for each
    written = unlisted.query(
        """MATCH (t:Task)-[:FOR]->(:Listing {id: 'LP'})
           RETURN t.measure AS measure, t.executor AS executor, COUNT { (t)-[:BINDS]->() } AS subjects"""
    )
    assert sorted((w["measure"], w["executor"], w["subjects"]) for w in written) == sorted(
        (t["measure"], t["executor"], len(t["subjects"])) for t in preview["tasks"]
    )
    # now listed: the preview says what listSubject says, ALREADY_LISTED
    again = _preview(api, id="LQ")
    assert again["refusals"][0]["code"] == "ALREADY_LISTED"
    assert gql_as(api, officer(DEPT), LIST, input=listing(id="LQ"))["data"]["listSubject"]["code"] == "ALREADY_LISTED"
