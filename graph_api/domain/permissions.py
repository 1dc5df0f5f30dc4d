"""Who may call which root field of the API and see which data — the one table. The schema attaches its
check to every root field when it is built (api/graphql/permission.py), a service or a job outside GraphQL
calls `check` itself, and the README's permission matrix is rendered from it (api/permission_matrix.py,
`graph-api docs permissions`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import Enum
from typing import Protocol

from graph_api.errors import Forbidden, Unauthenticated

ROLES = ("PUBLIC", "ENTITY", "OFFICER", "INVESTIGATOR", "SANCTIONS", "ADMIN")
EVERYONE = ROLES
# Staff read across the supervision system: working lists, change logs, redress of any subject.
STAFF_ROLES = ("OFFICER", "INVESTIGATOR", "SANCTIONS", "ADMIN")
# Who may look a person up by identity number; of them, PURPOSE_ROLES must state why (it is audited).
PERSONAL_DATA_ROLES = ("OFFICER", "INVESTIGATOR", "SANCTIONS", "ADMIN")
PURPOSE_ROLES = ("INVESTIGATOR", "SANCTIONS")
# Investigators identify a person in other agencies' systems, sanctions officers before a decision: they alone
# read identity numbers in clear, stating a purpose.
CLEAR_ID_NUMBER_ROLES = ("INVESTIGATOR", "SANCTIONS")
# Everyone with a credential reads persons' names in full; the public reads them masked.
NAME_READERS = ("ENTITY", "OFFICER", "INVESTIGATOR", "SANCTIONS", "ADMIN")
# The messages name the header because the API is where a purpose is stated.
PURPOSE_HEADER = "x-purpose"


class Acting(Protocol):
    """Who acts (domain/actor.py's Actor); a protocol, so that the actor may delegate its checks here."""

    @property
    def user(self) -> str: ...
    @property
    def role(self) -> str: ...
    @property
    def department(self) -> str | None: ...
    @property
    def uscc(self) -> str | None: ...


class Condition(Enum):
    """A condition on one role of a rule, as (the argument it is checked on, the matrix's words). With an
    argument, the check reads it from the call; without, it concerns the object a mutation acts on, which
    only its use case loads: the use case refuses it (Refusal NOT_YOUR_DEPARTMENT / NOT_YOUR_SUBJECT)."""

    OWN_DEPARTMENT = ("department", "own department's")
    OWN_ENTITY = ("subject", "own entity's")
    DECIDING_DEPARTMENT = (None, "own department's")
    EXECUTING_DEPARTMENT = (None, "executing department")
    MADE_TO_DEPARTMENT = (None, "department made to")
    SUBJECT_ENTITY = (None, "own entity")
    FILING_FOR_A_PERSON = (None, "for a person, own department's")

    def __init__(self, argument: str | None, words: str) -> None:
        self.argument = argument
        self.words = words


@dataclass(frozen=True)
class Rule:
    """Who may call a field: `roles`, some of them only under a condition; a field whose argument may
    name a person by identity number (`person_arguments`), or that always does (`personal`), is personal
    data for that call (check_personal_data)."""

    roles: tuple[str, ...]
    conditions: Mapping[str, Condition] = field(default_factory=dict)
    person_arguments: tuple[str, ...] = ()
    personal: bool = False

    @property
    def arguments(self) -> tuple[str, ...]:
        """The arguments the check reads (the schema verifies the field has them)."""
        own = tuple(c.argument for c in self.conditions.values() if c.argument is not None)
        return tuple(dict.fromkeys(own + self.person_arguments))

    @property
    def unconditional(self) -> tuple[str, ...]:
        """The roles allowed whatever the entity named: what an entity user not asking about its own needs."""
        return tuple(r for r in self.roles if self.conditions.get(r) is not Condition.OWN_ENTITY)


OPEN = Rule(EVERYONE)
WORKING_LIST = Rule(STAFF_ROLES, {"OFFICER": Condition.OWN_DEPARTMENT})
STAFF = Rule(STAFF_ROLES)
REDRESS_OF_A_SUBJECT = Rule(("ENTITY", *STAFF_ROLES), {"ENTITY": Condition.OWN_ENTITY}, person_arguments=("subject",))
OFFICERS = Rule(("OFFICER",))  # acting for its own department, the one its credential names
DECIDING_OFFICER = Rule(("OFFICER",), {"OFFICER": Condition.DECIDING_DEPARTMENT})
FILING = Rule(("ENTITY", "OFFICER"), {"ENTITY": Condition.SUBJECT_ENTITY, "OFFICER": Condition.FILING_FOR_A_PERSON})


def _open_party(*arguments: str) -> Rule:
    return Rule(EVERYONE, person_arguments=arguments)


QUERY: dict[str, Rule] = {
    "entity": OPEN,
    "person": Rule(PERSONAL_DATA_ROLES, personal=True),
    "exposure": _open_party("subject"),
    "listingImpact": OPEN,
    "controllers": OPEN,
    "ownershipExport": OPEN,
    "search": OPEN,
    "department": OPEN,
    "paths": _open_party("from", "to"),
    "eligibility": _open_party("subject"),
    # Each subject by identity number or a person's id is checked as a personal read on its own item.
    "screen": OPEN,
    # Whole-graph patterns for those who investigate or decide sanctions (persons by name and opaque key).
    "riskScan": Rule(("INVESTIGATOR", "SANCTIONS", "ADMIN")),
    # As screen: each subject by identity number or a person's id is a personal read of its own item.
    "changedSince": OPEN,
    "neighborhood": _open_party("node"),
    "overduePublications": WORKING_LIST,
    "changeLog": Rule(STAFF_ROLES, person_arguments=("subject",)),
    "tasksToExecute": WORKING_LIST,
    "openTasks": WORKING_LIST,
    "auditLog": Rule(("ADMIN",)),
    "commitments": WORKING_LIST,
    "interviewsDue": WORKING_LIST,
    "grade": OPEN,
    "gradeDistribution": OPEN,
    "draws": WORKING_LIST,
    "verifyDraw": STAFF,
    "repairApplications": REDRESS_OF_A_SUBJECT,
    "overdueObjections": WORKING_LIST,
    "objections": REDRESS_OF_A_SUBJECT,
    "publicRecords": OPEN,
    "node": OPEN,  # what each kind reveals is the reader's as elsewhere (a person: check_personal_data)
    "nodes": OPEN,
    "viewer": OPEN,  # answers what the request's own credential says, nothing else
    # A user's own watches and inbox (alerts to the user, and to its department).
    "watches": STAFF,
    "alerts": STAFF,
    # A listing's dry run: whoever may make the listing (it answers what listSubject would).
    "previewListing": OFFICERS,
    # 应查必查 certificates: those who decide (department officers) and check before deciding (sanctions officers).
    "verifyCertificate": Rule(("OFFICER", "SANCTIONS", "ADMIN")),
    "certificates": Rule(("OFFICER", "SANCTIONS", "ADMIN")),
    # A department's webhooks: its officers, for the department their credential names.
    "webhooks": OFFICERS,
    "webhookDeliveries": OFFICERS,
}

MUTATION: dict[str, Rule] = {
    "recordDecision": OFFICERS,
    "publishRecord": DECIDING_OFFICER,
    "listSubject": OFFICERS,
    "delist": DECIDING_OFFICER,
    "reportExecution": Rule(("OFFICER",), {"OFFICER": Condition.EXECUTING_DEPARTMENT}),
    "makeCommitment": Rule(("ENTITY",)),  # for its own entity, the one its credential names
    "fulfilCommitment": Rule(("OFFICER",), {"OFFICER": Condition.MADE_TO_DEPARTMENT}),
    "breachCommitment": Rule(("OFFICER",), {"OFFICER": Condition.MADE_TO_DEPARTMENT}),
    "recordInterview": DECIDING_OFFICER,
    "registerInspector": OFFICERS,
    "drawInspection": OFFICERS,
    # Naming the inspector's person (or the relatives declared) by identity number is a personal read.
    "linkInspector": Rule(("OFFICER",), person_arguments=("person",)),
    "declareRelative": Rule(("OFFICER",), person_arguments=("person", "relative")),
    "defineIndustryScheme": OFFICERS,  # for its own department's schemes only (NOT_YOUR_DEPARTMENT)
    "evaluateIndustry": OFFICERS,
    "publishIndustryEvaluation": OFFICERS,
    "applyForRepair": FILING,
    "decideRepair": DECIDING_OFFICER,
    "raiseObjection": FILING,
    "answerObjection": DECIDING_OFFICER,
    "decideScreenMatch": Rule(("OFFICER", "SANCTIONS")),
    # Watching a person by identity number or id is a personal read (checked on the subject as it is opened).
    "watch": STAFF,
    "unwatch": STAFF,
    "acknowledgeAlert": STAFF,
    # A certificate's subject by identity number or id is a personal read (checked as it is opened).
    "certifyChecks": Rule(("OFFICER", "SANCTIONS")),
    "registerWebhook": OFFICERS,
    "removeWebhook": OFFICERS,
    "retryWebhookDelivery": OFFICERS,
}

SUBSCRIPTION: dict[str, Rule] = {
    # The inbox as it fills (over WebSocket): the inbox's readers, who see each alert as the inbox shows it.
    "alerts": STAFF,
}

ROOTS: dict[str, dict[str, Rule]] = {"Query": QUERY, "Mutation": MUTATION, "Subscription": SUBSCRIPTION}


class Sees(Enum):
    """How much of the records of one disclosure level a role reads."""

    ALL = "✓"
    OWN_ENTITY = "own entity"
    OWN_DEPARTMENT = "own department's"
    NONE = "–"


DISCLOSURES = ("PUBLIC", "SHARED", "RESTRICTED")
_ALL_OF_THEM = {"INVESTIGATOR": Sees.ALL, "SANCTIONS": Sees.ALL, "ADMIN": Sees.ALL}
# Which records of each disclosure level a role reads, wherever records appear (an entity's, a person's,
# a working list's, a change log's). An entity user reads all of its own entity's.
RECORDS: dict[str, dict[str, Sees]] = {
    "PUBLIC": {"PUBLIC": Sees.ALL, "ENTITY": Sees.ALL, "OFFICER": Sees.ALL, **_ALL_OF_THEM},
    "SHARED": {"PUBLIC": Sees.NONE, "ENTITY": Sees.OWN_ENTITY, "OFFICER": Sees.ALL, **_ALL_OF_THEM},
    "RESTRICTED": {"PUBLIC": Sees.NONE, "ENTITY": Sees.OWN_ENTITY, "OFFICER": Sees.OWN_DEPARTMENT, **_ALL_OF_THEM},
}


@dataclass(frozen=True)
class Call:
    """What a check needs to know of one call: the department and the entity its arguments name, whether
    an argument names a person by identity number, and the stated purpose (asked for only when needed:
    reading it may itself be the caller's error)."""

    department: str | None = None
    entity: str | None = None
    person: bool = False
    purpose: Callable[[], str | None] = lambda: None


def rule(root: str, field_name: str) -> Rule:
    """The rule of a root field ('Query', 'Mutation' or 'Subscription', by its GraphQL name)."""
    return ROOTS[root][field_name]


def require(actor: Acting, roles: tuple[str, ...]) -> None:
    """UNAUTHENTICATED for the public unless `roles` names it, FORBIDDEN for any other role not in `roles`."""
    if actor.role == "PUBLIC" and "PUBLIC" not in roles:
        raise Unauthenticated("this needs credentials: a bearer token or an API key")
    if actor.role not in roles:
        raise Forbidden(f"role {actor.role} may not do this (allowed: {', '.join(roles)})")


def check_rule(actor: Acting, r: Rule, call: Call = Call()) -> None:
    """UNAUTHENTICATED for the public where credentials are needed, FORBIDDEN for a role not allowed, or
    allowed only under a condition on the arguments that the call does not meet."""
    condition = r.conditions.get(actor.role)
    if condition is Condition.OWN_ENTITY:
        if call.entity is None or call.entity != actor.uscc:  # an entity sees its own
            require(actor, r.unconditional)
    else:
        require(actor, r.roles)
    if condition is Condition.OWN_DEPARTMENT and call.department != actor.department:
        raise Forbidden(
            f"an officer reads only the working lists of its own department ({actor.department}), "
            f"not of {call.department}",
            reason="NOT_YOUR_DEPARTMENT",
        )
    if r.personal or call.person:
        check_personal_data(actor, call.purpose)


def check(actor: Acting, root: str, field_name: str, call: Call = Call()) -> None:
    """The table's check of one root field for one call (see check_rule)."""
    check_rule(actor, rule(root, field_name), call)


def check_personal_data(actor: Acting, purpose: Callable[[], str | None]) -> None:
    """Looking a person up by identity number: PERSONAL_DATA_ROLES, and a purpose for PURPOSE_ROLES."""
    require(actor, PERSONAL_DATA_ROLES)
    if actor.role in PURPOSE_ROLES and purpose() is None:
        raise Forbidden(
            f"role {actor.role} must state the purpose of reading personal data (header {PURPOSE_HEADER})",
            reason="PURPOSE_REQUIRED",
        )


def check_clear_id_number(actor: Acting, purpose: Callable[[], str | None]) -> None:
    """Reading an identity number in clear: CLEAR_ID_NUMBER_ROLES with a purpose. Everyone else is FORBIDDEN
    on that field alone (the public too: the field is not a credential question) and reads it masked."""
    if actor.role not in CLEAR_ID_NUMBER_ROLES:
        raise Forbidden("identity numbers in clear are for investigators and sanctions officers; use idNumberMasked")
    if purpose() is None:
        raise Forbidden(
            f"role {actor.role} must state the purpose of reading identity numbers (header {PURPOSE_HEADER})",
            reason="PURPOSE_REQUIRED",
        )


def reads_task(actor: Acting, executor: str, listing_department: str) -> bool:
    """Whether a reader may open one closed-loop task: as the working lists tasksToExecute and openTasks
    show them, staff outside the departments, and an officer of the executing or the listing department."""
    if actor.role == "OFFICER":
        return actor.department in (executor, listing_department)
    return actor.role in STAFF_ROLES


# The public reads a record only while the publication rules say it is published (cypher/fragments.cypher
# published_on); every role with a credential reads the records it may see whatever their publication.
PUBLISHED_ONLY_ROLES = ("PUBLIC",)
# Statuses that end a record's publication at once: an upheld objection revokes or corrects it.
PUBLICATION_ENDED = ("REVOKED", "CORRECTED")


def publication_filter(actor: Acting, day: dt.date) -> dict[str, dt.date | None]:
    """The parameter of the statements that list records: the day on which a record must be published for
    this reader to see it, or None for a reader who sees records whatever their publication."""
    return {"publishedAsOf": day if actor.role in PUBLISHED_ONLY_ROLES else None}


def reads_names_in_clear(actor: Acting) -> bool:
    return actor.role in NAME_READERS


def record_visibility(actor: Acting) -> dict[str, str | list[str] | None]:
    """Which records a reader sees, as the parameters of the statements that list records: the disclosure
    levels it reads in full, its own entity (all of whose records it reads), and its own department
    (whose RESTRICTED records it reads)."""
    sees = {level: RECORDS[level].get(actor.role, Sees.NONE) for level in DISCLOSURES}
    return {
        "disclosures": [level for level, s in sees.items() if s is Sees.ALL],
        "ownKey": actor.uscc if Sees.OWN_ENTITY in sees.values() else None,
        "ownDepartment": actor.department if Sees.OWN_DEPARTMENT in sees.values() else None,
    }


def record_params(actor: Acting, day: dt.date) -> dict[str, dt.date | str | list[str] | None]:
    """The parameters of the fragment @record_visible (cypher/fragments.cypher), built once for every
    statement that returns, names or counts records: which records this reader sees (record_visibility)
    and, for a reader who sees only what is published, the day of publication (publication_filter)."""
    return {**record_visibility(actor), **publication_filter(actor, day)}
