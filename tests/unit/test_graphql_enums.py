"""The GraphQL enums spell out the domain's vocabulary; this is what keeps the two from drifting."""

from __future__ import annotations

from enum import Enum

import pytest

from graph_api.api.graphql import enums
from graph_api.domain import paths, related
from graph_api.domain import vocabulary as domain


def _values(enum: type[Enum]) -> tuple[str, ...]:
    return tuple(m.value for m in enum)


@pytest.mark.parametrize(
    ("enum", "values"),
    [
        (enums.EntityForm, domain.FORMS),
        (enums.EntityStatus, domain.ENTITY_STATUSES),
        (enums.RoleType, domain.ROLES),
        (enums.RecordCategory, domain.CATEGORIES),
        (enums.Severity, domain.SEVERITIES),
        (enums.Disclosure, domain.DISCLOSURES),
        (enums.RecordStatus, domain.RECORD_STATUSES),
        (enums.ListCode, domain.LISTS),
        (enums.ListingStatus, domain.LISTING_STATUSES),
        (enums.IdType, domain.ID_TYPES),
        (enums.Scenario, domain.SCENARIOS),
        (enums.CommitmentType, domain.COMMITMENT_TYPES),
        (enums.RepairMethod, domain.REPAIR_METHODS),
        (enums.RepairStatus, domain.REPAIR_STATUSES),
        (enums.ObjectionStatus, domain.OBJECTION_STATUSES),
        (enums.RelatedReason, related.REASONS),
    ],
    ids=lambda v: v.__name__ if isinstance(v, type) else "",
)
def test_enum_is_the_domain_vocabulary_in_order(enum: type[Enum], values: tuple[str, ...]) -> None:
    assert _values(enum) == tuple(values)
    assert all(m.name == m.value for m in enum)  # GraphQL shows the name, Cypher stores the value


def test_polarity_is_every_value_polarity_of_returns() -> None:
    assert set(_values(enums.Polarity)) == {domain.polarity_of(c) for c in domain.CATEGORIES}


def test_node_kinds_cover_the_domain_path_nodes() -> None:
    assert {paths.ENTITY, paths.PERSON, paths.LISTING, paths.RECORD} <= set(_values(enums.NodeKind))


def test_commitment_states_are_the_statuses_and_overdue() -> None:
    assert set(_values(enums.CommitmentState)) == {*domain.COMMITMENT_STATUSES, "OVERDUE"}
