"""The measure catalogue is data: every code it uses must be one the code understands."""

from __future__ import annotations

from graph_api.domain import vocabulary as domain
from graph_api.domain.catalogue import catalogue


def test_catalogue_speaks_the_domain_vocabulary():
    data = catalogue()
    codes = [m["code"] for m in data["measures"]]
    assert len(codes) == len(set(codes))
    for measure in data["measures"]:
        assert measure["binds"] in ("ENTITY", "PERSONS", "BOTH"), measure["code"]
        assert set(measure["scenarios"]) <= set(domain.SCENARIOS), measure["code"]
    assert {entry["code"] for entry in data["lists"]} == set(domain.LISTS)
    # which lists punish is the vocabulary's PUNISHMENT_LISTS; the catalogue's polarity must say the same
    assert {e["code"] for e in data["lists"] if e["polarity"] == "PUNISHMENT"} == set(domain.PUNISHMENT_LISTS)
    for entry in data["lists"]:
        assert set(entry["measures"]) <= set(codes), entry["code"]
    for period in data["publicityPeriods"]:
        assert period["category"] in domain.CATEGORIES and period["severity"] in domain.SEVERITIES
        assert 0 <= period["minMonths"] <= period["maxMonths"]
    # every scenario an officer can ask about is decided by at least one restriction
    decided = {s for m in data["measures"] if m["kind"] != "INCENTIVE" for s in m["scenarios"]}
    assert decided == set(domain.SCENARIOS)
