"""The ownership export as FollowTheMoney entities, over HTTP and the CLI, on test_export_bods.py's graph
(firm A held 60% by firm B, B held 100% by person P, L the legal representative of A): each entity valid
by followthemoney's model, and the entities as worked out by hand."""

from __future__ import annotations

import json

import pytest
from followthemoney import model

from tests.conftest import investigator
from tests.test_export_bods import AS_OF, L_NAME, P_NAME, A, B, L, P, export, lines


@pytest.fixture(scope="module")
def owned(module_graph):
    outcome = module_graph.import_lines(lines())
    assert outcome.code == 0 and outcome.rejects == [], outcome.rejects
    return module_graph


def entities(content: str) -> list[dict]:
    return [json.loads(line) for line in content.splitlines()]


def assert_valid(data: dict) -> None:
    """Valid FtM: a known schema, only its properties, every required one present, every value valid for its
    type, and the model's cleaning changes nothing (the values are as FtM itself would write them)."""
    schema = model.get(data["schema"])
    assert schema is not None and not schema.abstract, data
    for name, values in data["properties"].items():
        prop = schema.get(name)
        assert prop is not None, (data["schema"], name)
        assert values and all(prop.type.validate(v) for v in values), (data["schema"], name, values)
    assert set(schema.required) <= set(data["properties"]), (data["schema"], schema.required)
    assert schema.validate(data) is None
    proxy = model.get_proxy(data, cleaned=False)
    assert model.get_proxy(data).to_dict() == proxy.to_dict() == data


def test_ftm_for_an_investigator_is_valid_and_as_worked_out(api, owned):
    found = entities(export(api, "FTM", investigator()))
    for e in found:
        assert_valid(e)
    ids = {e["id"] for e in found}
    assert len(ids) == len(found) == 8
    by_schema: dict[str, list[dict]] = {}
    for e in found:
        by_schema.setdefault(e["schema"], []).append(e)
    assert {k: len(v) for k, v in by_schema.items()} == {"Company": 2, "Person": 2, "Ownership": 3, "Directorship": 1}
    # every reference points to an entity of the export
    for e in found:
        for name, values in e["properties"].items():
            if model.get(e["schema"]).get(name).type.name == "entity":
                assert set(values) <= ids, (e["schema"], name)

    company = {e["properties"]["registrationNumber"][0]: e for e in by_schema["Company"]}
    person = {e["properties"]["name"][0]: e for e in by_schema["Person"]}
    a, b, p, rep = company[A]["id"], company[B]["id"], person[P_NAME]["id"], person[L_NAME]["id"]
    assert company[A]["properties"]["incorporationDate"] == ["2018-01-01"]
    assert company[A]["properties"]["jurisdiction"] == ["cn"]
    assert person[P_NAME]["properties"]["idNumber"] == [P]

    def link(e: dict) -> tuple:
        props = e["properties"]
        return (props["owner"][0], props["asset"][0], props["percentage"][0], props.get("startDate"))

    assert sorted(link(e) for e in by_schema["Ownership"]) == sorted(
        [(b, a, "60", ["2016-01-01"]), (p, b, "100", ["2015-06-01"]), (p, a, "60", None)]
    )
    [effective] = [e for e in by_schema["Ownership"] if "ownershipType" in e["properties"]]
    assert effective["properties"]["owner"] == [p] and len(effective["properties"]["role"]) == 2
    [role] = by_schema["Directorship"]
    assert role["properties"]["director"] == [rep] and role["properties"]["organization"] == [a]
    assert role["properties"]["role"] == ["法定代表人 (legal representative)"]
    assert role["properties"]["startDate"] == ["2018-03-01"]
    # stable ids: the same export twice
    assert [e["id"] for e in entities(export(api, "FTM", investigator()))] == [e["id"] for e in found]


def test_ftm_for_the_public_masks_names_and_states_no_identity_number(api, owned, cli):
    content = export(api, "FTM")
    found = entities(content)
    for e in found:
        assert_valid(e)
    assert sorted(e["properties"]["name"][0] for e in found if e["schema"] == "Person") == ["欧***", "陈*"]
    assert all("idNumber" not in e["properties"] for e in found)
    assert P not in content and L not in content and P_NAME not in content
    # the CLI, as the public by default, writes the same entities
    result = cli("export", "ftm", "--uscc", A, "--as-of", AS_OF)
    assert result.code == 0, result.stderr
    assert result.stdout == content
