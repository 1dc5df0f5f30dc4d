"""The 应查必查 certificate's pure rules (graph_api/domain/certificates.py), worked by hand."""

from __future__ import annotations

from graph_api.domain import certificates as rules

FIRM = rules.Party(rules.ENTITY, "F", "firm", (rules.SUBJECT,))


def test_an_entity_requires_representative_controllers_and_majority_holders_each_once():
    ties = [
        rules.Tie(rules.PERSON, "p1", "rep", "LEGAL_REPRESENTATIVE"),
        rules.Tie(rules.PERSON, "p1", "rep", "HOLDS", 0.6),  # the representative also holds 60%: one party
        rules.Tie(rules.PERSON, "p2", "boss", "ACTUAL_CONTROLLER"),
        rules.Tie(rules.ENTITY, "E", "parent", "HOLDS", 0.5),  # exactly half is not a majority
        rules.Tie(rules.PERSON, None, "nameless", "PRINCIPAL"),
    ]
    inferred = rules.Party(rules.PERSON, "p1", "rep", (rules.INFERRED_CONTROLLER,))
    parties, gaps = rules.required_parties(FIRM, ties, inferred, ownership_cut=True)
    assert [(p.key, p.grounds) for p in parties] == [
        ("F", ("SUBJECT",)),
        ("p1", ("LEGAL_REPRESENTATIVE_OR_PRINCIPAL", "INFERRED_CONTROLLER", "MAJORITY_HOLDER")),
        ("p2", ("DECLARED_CONTROLLER",)),
    ]
    assert [g.reason for g in gaps] == [
        "nameless: no identity number in the graph, so it cannot be checked",
        "the ownership graph was too large to follow: controllers may be missed",
    ]


def test_no_representative_is_a_gap_and_a_person_is_checked_alone():
    _, gaps = rules.required_parties(FIRM, [], None, ownership_cut=False)
    assert [g.grounds for g in gaps] == [(rules.REPRESENTATIVE,)]
    person = rules.Party(rules.PERSON, "p", "someone", (rules.SUBJECT,))
    assert rules.required_parties(person, [], None, False) == ([person], [])


def test_a_restriction_refuses_an_incentive_does_not():
    measure = {"code": "M", "kind": "ADMINISTRATIVE", "scenarios": ["BIDDING"]}
    red = {"code": "R", "kind": "INCENTIVE", "scenarios": ["BIDDING"]}
    binding = {"listing": {"id": "L", "list": "JOINT_PUNISHMENT"}, "measures": [measure]}
    assert not rules.check(FIRM, [binding], "BIDDING").allowed
    assert rules.check(FIRM, [binding], "CREDIT") == rules.Check(FIRM, True, ())
    favoured = rules.check(FIRM, [{**binding, "measures": [red]}], "BIDDING")
    assert favoured.allowed and [r.measure for r in favoured.reasons] == ["R"]


def test_the_hash_covers_every_part_and_the_link():
    head = {k: str(i) for i, k in enumerate(rules.HEAD)}
    doc = rules.document(head, [rules.part(0, rules.check(FIRM, [], "BIDDING"))], [])
    digest = rules.chain_hash(rules.GENESIS, doc)
    assert rules.verify(doc, digest, rules.GENESIS, None) is None
    altered = rules.document(head, [{**doc["parts"][0], "allowed": False}], [])
    assert "altered" in (rules.verify(altered, digest, rules.GENESIS, None) or "")
    assert "chain" in (rules.verify(doc, digest, rules.GENESIS, "f" * 64) or "")
