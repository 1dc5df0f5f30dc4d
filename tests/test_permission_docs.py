"""The permission table (graph_api/domain/permissions.py) is the one place: the README's matrix is its
rendering, the schema refuses to build when its root fields and the table disagree, and the checks a
service calls outside GraphQL answer as the API does (the API itself, role by role over HTTP:
test_permission_matrix.py). In-process, no database."""

from __future__ import annotations

import pytest
import strawberry
from strawberry.schema.name_converter import NameConverter
from strawberry.tools import merge_types
from strawberry.types.base import get_object_definition

from graph_api.api.auth import ROLES as CREDENTIAL_ROLES
from graph_api.api.graphql.permission import Permission, PermissionTableMismatch, guard
from graph_api.api.graphql.schema import Mutation, Query
from graph_api.api.graphql.subscriptions import AlertSubscriptions
from graph_api.api.permission_matrix import readme_section, render, with_matrix
from graph_api.domain.actor import Actor
from graph_api.domain.permissions import Call, check, check_clear_id_number, check_personal_data, record_visibility
from graph_api.errors import Forbidden, Unauthenticated
from tests.conftest import ROOT

DEPT, OTHER = "370200-SCJG", "370200-SWJ"
FIRM, STRANGER = "91370200MA0000401X", "91370200MA0000403X"
PUBLIC = Actor("anonymous", "PUBLIC")
ENTITY = Actor("e", "ENTITY", uscc=FIRM)
OFFICER = Actor("o", "OFFICER", department=DEPT)
INVESTIGATOR = Actor("i", "INVESTIGATOR")
SANCTIONS = Actor("s", "SANCTIONS")
ADMIN = Actor("a", "ADMIN")


def no_purpose() -> None:
    return None


def a_purpose() -> str:
    return "案件核查"


def test_the_readme_matrix_is_the_rendered_table():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert readme_section(readme) == render(), (
        "README's permission matrix differs: run graph-api docs permissions --readme README.md"
    )
    assert with_matrix(readme) == readme


def test_rewriting_a_changed_matrix_restores_it():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    edited = readme.replace("| `auditLog` | – | – | – | – | – | ✓ |", "| `auditLog` | ✓ | ✓ | ✓ | ✓ | ✓ | ✓ |")
    assert edited != readme and readme_section(edited) != render()
    assert with_matrix(edited) == readme
    with pytest.raises(ValueError, match="no permission matrix markers"):
        with_matrix("# a README without the matrix\n")


def test_every_root_field_carries_the_tables_check():
    for root_type in (Query, Mutation, AlertSubscriptions):
        for f in get_object_definition(root_type, strict=True).fields:
            assert sum(isinstance(e, Permission) for e in f.extensions) == 1, f.name


def test_a_root_field_missing_from_the_table_fails_the_build():
    @strawberry.type
    class Extra:
        @strawberry.field
        def unclassified(self) -> int:
            return 1

    with pytest.raises(
        PermissionTableMismatch, match=r"Query fields missing from the permission table: \['unclassified'\]"
    ):
        guard("Query", merge_types("Query", (Query, Extra)), NameConverter())


def test_a_table_field_the_schema_lacks_fails_the_build():
    @strawberry.type
    class Mutation:
        @strawberry.mutation
        def record_decision(self) -> int:
            return 1

    with pytest.raises(PermissionTableMismatch, match=r"names Mutation fields that do not exist: .*'answerObjection'"):
        guard("Mutation", Mutation, NameConverter())


def test_a_rule_reading_an_argument_the_field_lacks_fails_the_build():
    fields = {f.python_name: f for f in get_object_definition(Query, strict=True).fields}

    @strawberry.type
    class WithoutDepartment:
        @strawberry.field
        def overdue_publications(self, office: str) -> int:  # the rule reads `department`
            return 1

    others = [f for name, f in fields.items() if name != "overdue_publications"]
    probe = strawberry.type(type("Probe", (), {}))
    get_object_definition(probe, strict=True).fields.extend(others)
    with pytest.raises(
        PermissionTableMismatch, match=r"Query.overduePublications reads arguments it lacks: \['department'\]"
    ):
        guard("Query", merge_types("Query", (probe, WithoutDepartment)), NameConverter())


def test_roles_are_those_credentials_name():
    from graph_api.domain.permissions import ROLES

    assert ROLES == CREDENTIAL_ROLES


def test_a_working_list_outside_graphql():
    for actor in (OFFICER, INVESTIGATOR, SANCTIONS, ADMIN):
        check(actor, "Query", "overduePublications", Call(department=DEPT))
    with pytest.raises(Unauthenticated):
        check(PUBLIC, "Query", "overduePublications", Call(department=DEPT))
    with pytest.raises(
        Forbidden, match=r"role ENTITY may not do this \(allowed: OFFICER, INVESTIGATOR, SANCTIONS, ADMIN\)"
    ):
        check(ENTITY, "Query", "draws", Call(department=DEPT))
    with pytest.raises(Forbidden) as other:
        check(OFFICER, "Query", "tasksToExecute", Call(department=OTHER))
    assert other.value.extensions == {"reason": "NOT_YOUR_DEPARTMENT"}
    check(INVESTIGATOR, "Query", "tasksToExecute", Call(department=OTHER))


def test_redress_of_a_subject_and_personal_data():
    check(ENTITY, "Query", "objections", Call(entity=FIRM))
    with pytest.raises(Forbidden):
        check(ENTITY, "Query", "objections", Call(entity=STRANGER))
    with pytest.raises(Forbidden):  # a person: not the entity's own
        check(ENTITY, "Query", "repairApplications", Call(person=True))
    with pytest.raises(Forbidden) as no_reason:
        check(INVESTIGATOR, "Query", "repairApplications", Call(person=True, purpose=no_purpose))
    assert no_reason.value.extensions == {"reason": "PURPOSE_REQUIRED"}
    check(INVESTIGATOR, "Query", "repairApplications", Call(person=True, purpose=a_purpose))
    check(PUBLIC, "Query", "exposure", Call(entity=FIRM))
    with pytest.raises(Unauthenticated):
        check(PUBLIC, "Query", "exposure", Call(person=True))
    with pytest.raises(Unauthenticated):
        check(PUBLIC, "Query", "person")
    check(OFFICER, "Query", "person")  # officers and administrators state no purpose
    check(ADMIN, "Query", "person")
    with pytest.raises(Forbidden):
        check_personal_data(SANCTIONS, no_purpose)
    with pytest.raises(Forbidden):
        check(ADMIN, "Mutation", "recordDecision")
    with pytest.raises(Forbidden):
        check(OFFICER, "Query", "auditLog")


def test_identity_numbers_in_clear():
    check_clear_id_number(INVESTIGATOR, a_purpose)
    check_clear_id_number(SANCTIONS, a_purpose)
    for actor in (PUBLIC, ENTITY, OFFICER, ADMIN):
        with pytest.raises(Forbidden, match="use idNumberMasked"):
            check_clear_id_number(actor, a_purpose)
    with pytest.raises(Forbidden) as no_reason:
        check_clear_id_number(INVESTIGATOR, no_purpose)
    assert no_reason.value.extensions == {"reason": "PURPOSE_REQUIRED"}


def test_record_visibility_by_role():
    everything = ["PUBLIC", "SHARED", "RESTRICTED"]
    assert record_visibility(PUBLIC) == {"disclosures": ["PUBLIC"], "ownKey": None, "ownDepartment": None}
    assert record_visibility(ENTITY) == {"disclosures": ["PUBLIC"], "ownKey": FIRM, "ownDepartment": None}
    assert record_visibility(OFFICER) == {"disclosures": ["PUBLIC", "SHARED"], "ownKey": None, "ownDepartment": DEPT}
    for actor in (INVESTIGATOR, SANCTIONS, ADMIN):
        assert record_visibility(actor) == {"disclosures": everything, "ownKey": None, "ownDepartment": None}
