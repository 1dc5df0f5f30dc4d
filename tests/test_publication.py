"""The public's view as of a day: publication ends by dates (catalogue.json publicityPeriods: MINOR 3 months,
GENERAL 12, SERIOUS 36, counted from publication), never by a job.

Firm P's records, with the first day each is no longer public (publicUntil):
    S1  PENALTY SERIOUS  published 2024-01-31             -> 2027-01-31
    G1  PENALTY GENERAL  published 2025-03-10             -> 2026-03-10
    M1  PENALTY MINOR    published 2025-11-30             -> 2026-02-28 (no 30 February: the month's last day)
    SH  PENALTY GENERAL  SHARED, published 2025-06-01     -> 2026-06-01, but never public
    U1  PENALTY GENERAL  unpublished                      -> none, not public
    H1  HONOR            published 2020-01-01             -> none: no period limits a positive record
The public sees, newest publication first:
    as of 2025-03-09: S1, H1            (G1 not yet published)
    as of 2026-02-27: M1, G1, S1, H1
    as of 2026-02-28: G1, S1, H1        (M1's three months have run)
    as of 2026-03-10: S1, H1            (G1's year has run)
A decision recorded on 2026-11-02 (GENERAL) and published 2026-11-05 is public until 2027-11-05.
"""

from __future__ import annotations

import pytest

from tests.conftest import gql, gql_as, gql_reader, officer
from tests.test_linkage import uscc

P = uscc(61)
DEPT = "370200-SCJG"

PUBLIC = """query($u: USCC!, $asOf: Date, $first: Int!, $after: String) {
  publicRecords(uscc: $u, asOf: $asOf, first: $first, after: $after) {
    totalCount nodes { id: recordId publicUntil } pageInfo { hasNextPage endCursor } } }"""


def record(
    record_id: str,
    published_on: str | None,
    severity: str | None = "GENERAL",
    category: str = "PENALTY",
    disclosure: str = "PUBLIC",
) -> dict:
    line = {
        "kind": "record",
        "id": record_id,
        "subject": {"entity": P},
        "category": category,
        "department": DEPT,
        "decidedOn": "2019-12-20" if category == "HONOR" else "2024-01-20",
        "disclosure": disclosure,
    }
    if severity:
        line["severity"] = severity
    if published_on:
        line["publishedOn"] = published_on
    return line


@pytest.fixture()
def firm(graph):
    outcome = graph.import_lines(
        [
            {"kind": "department", "code": DEPT, "name": "青岛市市场监督管理局", "region": "370200"},
            {
                "kind": "entity",
                "uscc": P,
                "name": "青岛公示测试有限公司",
                "form": "COMPANY",
                "status": "ACTIVE",
                "region": "370200",
                "established": "2015-01-01",
            },
            record("S1", "2024-01-31", "SERIOUS"),
            record("G1", "2025-03-10"),
            record("M1", "2025-11-30", "MINOR"),
            record("SH", "2025-06-01", disclosure="SHARED"),
            record("U1", None),
            record("H1", "2020-01-01", None, category="HONOR"),
        ]
    )
    assert outcome.code == 0, outcome.rejects
    return graph


def public_ids(api, as_of: str) -> list[str]:
    page = gql(api, PUBLIC, u=P, asOf=as_of, first=100)["data"]["publicRecords"]
    assert page["totalCount"] == len(page["nodes"])
    return [n["id"] for n in page["nodes"]]


def test_publication_ends_by_as_of(api, firm):
    assert public_ids(api, "2025-03-09") == ["S1", "H1"]
    assert public_ids(api, "2026-02-27") == ["M1", "G1", "S1", "H1"]
    assert public_ids(api, "2026-02-28") == ["G1", "S1", "H1"]
    assert public_ids(api, "2026-03-10") == ["S1", "H1"]

    first = gql(api, PUBLIC, u=P, asOf="2026-02-27", first=2)["data"]["publicRecords"]
    assert first["nodes"] == [{"id": "M1", "publicUntil": "2026-02-28"}, {"id": "G1", "publicUntil": "2026-03-10"}]
    assert first["pageInfo"]["hasNextPage"] is True
    rest = gql(api, PUBLIC, u=P, asOf="2026-02-27", first=2, after=first["pageInfo"]["endCursor"])["data"][
        "publicRecords"
    ]
    assert rest["nodes"] == [{"id": "S1", "publicUntil": "2027-01-31"}, {"id": "H1", "publicUntil": None}]

    unknown = gql(api, PUBLIC, u=uscc(62), asOf="2026-01-01", first=5)
    assert unknown["errors"][0]["extensions"]["code"] == "NOT_FOUND"


def test_record_fields_public_until_and_is_public(api, firm):
    # as an investigator, who sees every disclosure level (the SHARED record SH too)
    body = gql_reader(
        api,
        """query($u: USCC!) { entity(uscc: $u) { records(first: 10) {
        nodes { id: recordId publicUntil
                before: isPublic(asOf: "2025-03-09") at: isPublic(asOf: "2026-03-09") } } } }""",
        u=P,
    )
    rows = {n["id"]: (n["publicUntil"], n["before"], n["at"]) for n in body["data"]["entity"]["records"]["nodes"]}
    assert rows == {
        "S1": ("2027-01-31", True, True),
        "G1": ("2026-03-10", False, True),
        "M1": ("2026-02-28", False, False),
        "SH": ("2026-06-01", False, False),
        "U1": (None, False, False),
        "H1": (None, True, True),
    }

    recorded = gql_as(
        api,
        officer(DEPT),
        """mutation { recordDecision(input: {subject: {uscc: "%s"}, category: PENALTY,
        severity: GENERAL, decidedOn: "2026-11-02", id: "N1"}) { __typename } }"""
        % P,
    )
    assert recorded["data"]["recordDecision"]["__typename"] == "DecisionRecorded", recorded
    published = gql_as(
        api,
        officer(DEPT),
        """mutation { publishRecord(id: "N1", publishedOn: "2026-11-05") {
        ... on RecordPublished { record { publicUntil isPublic(asOf: "2026-11-05") } } } }""",
    )
    assert published["data"]["publishRecord"]["record"] == {"publicUntil": "2027-11-05", "isPublic": True}
