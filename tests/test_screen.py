"""`screen` over HTTP on the hand-built graph of tests/test_linkage.py (its docstring has the story).

Worked out by hand, as of 2024-06-01: A is on the joint-punishment list L1 (2024-01-15..2026-01-15), whose
measures include RESTRICT_BIDDING, so A may not bid; O3 (held 30 % by A, no responsible person) may; LATE
became A's legal representative after the listing, so is not bound. MID was A's legal representative in the
responsibility window, so may not be appointed legal representative (bound as RESPONSIBLE_PERSON via A).
On 2024-09-01 N may bid, with one warning: its legal representative CTRL is A's actual controller, bound by L1."""

from __future__ import annotations

import pytest

from graph_api.domain.masking import mask_name
from tests.conftest import gql, gql_as, investigator
from tests.test_linkage import LATE, MID, O3, A, N, build, uscc

SCREEN = """query($subjects: [ScreenSubjectInput!]!, $scenario: Scenario!, $asOf: Date) {
  screen(subjects: $subjects, scenario: $scenario, asOf: $asOf) {
    index subject { uscc idNumberMasked id }
    eligibility { ...answer }
    error { code message reason }
  }
}
fragment answer on Eligibility {
  subject { kind name } allowed scenario asOf
  decidingMeasures { measure { code } binding { kind listing { id } path { text } } }
  warnings { code message path { steps { relation } } }
}"""

ELIGIBILITY = """query($subject: SubjectInput!, $scenario: Scenario!, $asOf: Date) {
  eligibility(subject: $subject, scenario: $scenario, asOf: $asOf) { ...answer }
}
fragment answer on Eligibility {
  subject { kind name } allowed scenario asOf
  decidingMeasures { measure { code } binding { kind listing { id } path { text } } }
  warnings { code message path { steps { relation } } }
}"""

UNKNOWN = uscc(99)  # a well-formed code of no entity in the graph
MALFORMED = A[:-1] + ("0" if A[-1] != "0" else "1")  # the check character is wrong
BAD_NUMBER = LATE[:-1] + ("0" if LATE[-1] != "0" else "1")  # a resident identity number, wrong check character


@pytest.fixture(scope="module")
def screened(module_graph):
    outcome = module_graph.import_lines(build())
    assert outcome.code == 0 and outcome.rejects == [], outcome.rejects
    return module_graph


def screen(api, subjects, scenario="BIDDING", as_of="2024-06-01", actor=None):
    body = gql_as(
        api, actor if actor is not None else investigator(), SCREEN, subjects=subjects, scenario=scenario, asOf=as_of
    )
    assert "errors" not in body, body
    return body


def test_a_mixed_batch_answers_each_subject_in_order(api, screened):
    subjects = [
        {"uscc": A},
        {"uscc": O3},
        {"uscc": UNKNOWN},
        {"uscc": MALFORMED},
        {"idNumber": LATE},
        {"idNumber": BAD_NUMBER},
        {"id": "not-an-id"},
        {"uscc": A, "idNumber": LATE},
    ]
    items = screen(api, subjects)["data"]["screen"]
    assert [i["index"] for i in items] == list(range(8))
    assert [i["subject"]["uscc"] for i in items] == [A, O3, UNKNOWN, MALFORMED, None, None, None, A]
    refused, allowed, unknown, malformed, late, bad_number, bad_id, two = items
    assert refused["error"] is None and refused["eligibility"]["allowed"] is False
    [deciding] = refused["eligibility"]["decidingMeasures"]
    assert deciding["measure"]["code"] == "RESTRICT_BIDDING"
    assert deciding["binding"]["kind"] == "DIRECT" and deciding["binding"]["listing"]["id"] == "L1"
    assert allowed["eligibility"]["allowed"] is True and allowed["eligibility"]["decidingMeasures"] == []
    assert late["eligibility"]["allowed"] is True and late["eligibility"]["subject"]["kind"] == "PERSON"
    assert unknown["eligibility"] is None
    assert unknown["error"]["code"] == "NOT_FOUND" and UNKNOWN in unknown["error"]["message"]
    assert malformed["error"]["code"] == "BAD_USER_INPUT" and malformed["error"]["reason"] == "INVALID_USCC"
    assert bad_number["error"]["code"] == "BAD_USER_INPUT" and bad_number["eligibility"] is None
    assert bad_id["error"]["code"] == "BAD_USER_INPUT" and "global id" in bad_id["error"]["message"]
    assert two["error"]["code"] == "BAD_USER_INPUT" and "exactly one" in two["error"]["message"]


def test_a_person_bound_as_responsible_person_and_the_warnings(api, screened):
    [mid] = screen(api, [{"idNumber": MID}], scenario="APPOINTMENT_LEGAL_REP")["data"]["screen"]
    assert mid["eligibility"]["allowed"] is False
    assert mid["eligibility"]["decidingMeasures"][0]["binding"]["kind"] == "RESPONSIBLE_PERSON"
    [n] = screen(api, [{"uscc": N}], as_of="2024-09-01")["data"]["screen"]
    assert n["eligibility"]["allowed"] is True
    [warning] = n["eligibility"]["warnings"]
    assert warning["code"] == "RESPONSIBLE_PERSON_BOUND" and "L1" in warning["message"]
    assert [s["relation"] for s in warning["path"]["steps"]] == [
        "LEGAL_REPRESENTATIVE",
        "ACTUAL_CONTROLLER",
        "LISTED_ON",
    ]


@pytest.mark.parametrize(
    ("subject", "scenario", "as_of"),
    [
        ({"uscc": A}, "BIDDING", "2024-06-01"),
        ({"uscc": N}, "BIDDING", "2024-09-01"),
        ({"idNumber": MID}, "APPOINTMENT_LEGAL_REP", "2024-06-01"),
        ({"idNumber": LATE}, "BIDDING", "2024-06-01"),
        ({"uscc": A}, "BIDDING", "2026-02-01"),
    ],
)
def test_each_answer_is_what_eligibility_answers(api, screened, subject, scenario, as_of):
    # The batch statements (cypher/screen.cypher) fetch what linkage.cypher's do for one subject: any drift shows here.
    one = gql_as(api, investigator(), ELIGIBILITY, subject=subject, scenario=scenario, asOf=as_of)["data"][
        "eligibility"
    ]
    [item] = screen(api, [subject], scenario=scenario, as_of=as_of)["data"]["screen"]
    assert item["eligibility"] == one


def test_round_trips_do_not_grow_with_the_batch(api, screened):
    screen(api, [{"uscc": A}, {"idNumber": MID}])  # the audit trail's head is now this server's own entry
    small = screen(api, [{"uscc": A}, {"idNumber": MID}])
    big = screen(
        api, [{"uscc": A}, {"uscc": O3}, {"uscc": N}, {"uscc": UNKNOWN}, {"idNumber": MID}, {"idNumber": LATE}] * 40
    )
    assert len(big["data"]["screen"]) == 240
    # entities 1 + persons 1 + the audit entry of the personal reads 1 (chained after the server's last)
    assert small["extensions"]["dbRoundTrips"] == big["extensions"]["dbRoundTrips"] == 3


def test_more_than_500_subjects_is_refused_with_the_limit(api, screened):
    body = gql_as(api, investigator(), SCREEN, subjects=[{"uscc": A}] * 501, scenario="BIDDING")
    [error] = body["errors"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT" and error["extensions"]["limit"] == 500
    assert "500" in error["message"] and body["data"] is None
    assert len(screen(api, [{"uscc": A}] * 500)["data"]["screen"]) == 500


def test_the_public_sees_masked_persons_and_may_not_look_persons_up(api, screened):
    body = gql(api, SCREEN, subjects=[{"uscc": N}, {"idNumber": MID}], scenario="BIDDING", asOf="2024-09-01")
    assert "errors" not in body, body
    n, mid = body["data"]["screen"]
    [warning] = n["eligibility"]["warnings"]
    assert "控刘" not in warning["message"] and mask_name("控刘") in warning["message"]
    assert mid["eligibility"] is None and mid["error"]["code"] in ("FORBIDDEN", "UNAUTHENTICATED")
