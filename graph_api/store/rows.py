"""The result rows of every named statement in cypher/: one TypedDict of its RETURN columns each,
declared in `Statements` (statement name -> `Statement[Row]`). `queries` is typed as `Statements`,
so `await run(tx, queries.x, ...)` (store/run.py) is a `list` of x's row type; a test EXPLAINs each
statement and compares the columns Neo4j reports with the TypedDict's keys, so the two cannot drift.

Nested maps are TypedDicts where the shape is fixed and shared, else `dict[str, Any]`. Dates and
datetimes are the driver's `neo4j.time` types, as Neo4j returns them."""

from __future__ import annotations

from typing import Any, Protocol, TypedDict, get_args, get_origin, get_type_hints

from neo4j.graph import Node
from neo4j.time import Date, DateTime

from graph_api.store.statement import Fragment, Statement

Map = dict[str, Any]


# --- nested maps shared by many statements ----------------------------------------------------


class EntityRef(TypedDict):
    uscc: str
    name: str


class DepartmentRef(TypedDict):
    code: str
    name: str
    region: str


class MeasureRef(TypedDict):
    code: str
    name: str
    nameZh: str | None
    kind: str
    binds: str
    scenarios: list[str]


class ListingRef(TypedDict):
    id: str
    list: str
    since: Date
    until: Date | None
    status: str


class BasisRef(TypedDict):
    id: str
    category: str
    severity: str | None
    decidedOn: Date


class DisclosedBasisRef(TypedDict):
    """A basis record as a reader sees it (@record_visible): not disclosed, every field but `disclosed` is null."""

    id: str | None
    category: str | None
    severity: str | None
    decidedOn: Date | None
    disclosed: bool


# --- rows shared by several statements --------------------------------------------------------


class NoRow(TypedDict):
    """A statement that returns nothing (a write, or a schema command)."""


class PageRow(TypedDict):
    """A keyset page (@keyset_start): the page's items, their sort keys (cursors) and how many precede it."""

    totalCount: int
    page: list[Map]
    keys: list[list[Any]]
    start: int


class KeyedPageRow(TypedDict):
    key: str
    totalCount: int
    page: list[Map]
    keys: list[list[Any]]
    start: int


class ImportOutcomeRow(TypedDict):
    outcome: str  # created, updated or unchanged
    n: int


class ImportUnchangedRow(TypedDict):
    keys: list[str]  # the batch's facts stored with the same content hash


class ImportStoredRow(TypedDict):
    keys: list[str]  # the batch's facts stored with the same content hash
    absent: list[str]  # and those not stored at all


class LockRow(TypedDict):
    nodeId: str
    department: str
    party: str


class RecordLockRow(LockRow):
    visible: bool  # @record_visible for the acting officer


class CommitmentRow(TypedDict):
    commitment: Map


class RecordMapRow(TypedDict):
    record: Map


class SearchRow(TypedDict):
    """A search page: the matches counted up to $cap, the hits (kind ENTITY or PERSON, party, score) and
    their sort keys (cursors)."""

    totalCount: int
    page: list[Map]
    keys: list[list[Any]]


class AuditHeadRow(TypedDict):
    seq: int | None  # null before the first entry
    hash: str | None


class AuditAppendAfterRow(TypedDict):
    appended: int


class AuditLockHeadRow(TypedDict):
    seq: int
    hash: str


class GradeFactsRow(TypedDict):
    key: str
    listings: list[Map]
    records: list[Map]


# --- admin, audit, catalogue, schema ----------------------------------------------------------


class AdminPingRow(TypedDict):
    ok: int


class AdminWipeBatchRow(TypedDict):
    deleted: int


class AdminCountsRow(TypedDict):
    name: str
    n: int


class BulkDataLabelsRow(TypedDict):
    labels: list[str]


class AuditRangeRow(TypedDict):
    entry: Map


class SchemaVersionGetRow(TypedDict):
    version: int


# --- closed loop, commitments, decisions ------------------------------------------------------


class TaskDetailsRow(TypedDict):
    key: str
    listing: ListingRef
    department: DepartmentRef
    measure: MeasureRef
    subjects: list[Map]


class TaskLockRow(TypedDict):
    nodeId: str
    task: Map
    party: str


class TaskReportRow(TypedDict):
    t: Node


class CommitmentContextRow(TypedDict):
    entityFound: bool
    departmentFound: bool
    idTaken: bool


class CommitmentCreateRow(TypedDict):
    nodeId: str
    commitment: Map


class CommitmentCloseRow(TypedDict):
    status: str


class DecisionContextRow(TypedDict):
    subjectFound: bool
    departmentFound: bool
    idTaken: bool
    party: str | None


class DecisionCreateRow(TypedDict):
    nodeId: str
    record: Map
    subject: Map  # uscc or idHash, name: for the alert's path


# --- entity, grades, history, import ----------------------------------------------------------


class EntityViewRow(TypedDict):
    key: str
    entity: Map  # @entity_map: the properties and `parents`


class EntityWithRelationsRow(TypedDict):
    key: str
    entity: Map  # @entity_map, as EntityViewRow's
    roles: KeyedPageRow | None  # each the row its page statement would return; null when not asked for
    holders: KeyedPageRow | None
    holdings: KeyedPageRow | None


class EntityWithRelationsDeepRow(EntityWithRelationsRow):
    listings: KeyedPageRow | None
    subHoldings: list[KeyedPageRow]  # one level down: each held entity's holdings page; empty when not asked for
    personRoles: list[KeyedPageRow]  # each role holder's (person's) roles page; empty when not asked for


class EntityRefRow(TypedDict):
    entity: EntityRef


class EntityFacts(TypedDict):
    uscc: str
    listings: list[Map]
    records: list[Map]


class GradeFactsPageRow(TypedDict):
    usccs: list[str]
    withFacts: list[EntityFacts]  # only entities with facts: collect() drops the others' nulls


class GradePageEndRow(TypedDict):
    uscc: str


class ImportExistingKeysRow(TypedDict):
    entities: list[str]
    persons: list[str]
    departments: list[str]
    measures: list[str]
    records: list[Map]


class ImportHoldingsOfRow(TypedDict):
    entity: str
    holder: str
    since: Date
    until: Date | None
    ratio: float


# --- inspection, interviews -------------------------------------------------------------------


class InspectorContextRow(TypedDict):
    departmentFound: bool
    idTaken: bool


class InspectorCreateRow(TypedDict):
    nodeId: str
    inspector: Map


class InspectorLeaveRow(TypedDict):
    nodeId: str
    inspector: Map
    since: DateTime


class RosterAtRow(TypedDict):
    id: str


class DrawContextRow(TypedDict):
    departmentFound: bool
    region: str | None
    exists: bool


class NodeIdRow(TypedDict):
    nodeId: str


class DrawByIdRow(TypedDict):
    draw: Map
    selections: list[Map]
    exclusions: list[Map]


class DrawSelectionsRow(TypedDict):
    key: str
    selections: list[Map]


class DrawConflictsRow(TypedDict):
    inspector: str
    uscc: str
    keys: list[str]
    relations: list[str]
    ratios: list[float | None]
    forward: list[bool]


class DrawExclusionsRow(TypedDict):
    key: str
    exclusions: list[Map]


class InspectorLinkLockRow(TypedDict):
    nodeId: str
    inspector: Map
    linked: bool
    personFound: bool


class RelativeLockRow(TypedDict):
    found: list[str]
    declared: bool


class IndustrySchemeLockRow(TypedDict):
    department: str
    latest: Map | None


class IndustrySchemeByIdRow(TypedDict):
    scheme: Map
    region: str


class IndustryFactsPageRow(TypedDict):
    uscc: str
    records: list[Map]
    listings: list[Map]
    commitments: list[Map]


class IndustrySchemeVersionLockRow(TypedDict):
    department: str
    exists: bool


class IndustryEvaluationLockRow(TypedDict):
    nodeId: str
    evaluation: Map


class IndustryEvaluationGradesRow(TypedDict):
    uscc: str
    grade: str


class IndustryGradesOfRow(TypedDict):
    key: str
    grades: list[Map]


class InterviewListingLockRow(TypedDict):
    nodeId: str
    department: str
    subjectEntity: str | None
    subjectPerson: str | None


class InterviewListingStateRow(TypedDict):
    listing: Map
    interviews: int


# --- linkage ----------------------------------------------------------------------------------


class PersonByHashRow(TypedDict):
    key: str
    person: Map


class ExposurePersonRow(TypedDict):
    person: Map
    listing: ListingRef
    department: DepartmentRef
    via: EntityRef | None
    role: Map | None
    basis: list[DisclosedBasisRef]
    measures: list[MeasureRef]


class ExposureEntityRow(TypedDict):
    entity: EntityRef
    listing: ListingRef
    department: DepartmentRef
    basis: list[DisclosedBasisRef]
    measures: list[MeasureRef]


class ListingImpactRow(TypedDict):
    subject: Map
    listing: ListingRef
    department: DepartmentRef
    basis: list[BasisRef]
    maxHops: int  # the parameter, echoed for the domain's rule
    responsible: list[Map]
    holdings: list[Map]
    ties: list[Map]


class OwnershipUpstreamRow(TypedDict):
    entity: EntityRef
    declared: list[Map]
    reached: list[str]  # the keys (USCC or key hash) of the parties found above the entity
    edges: list[Map]


class ShortestPathsRow(TypedDict):
    nodes: list[Map]
    steps: list[Map]


class ResponsiblePersonsBoundElsewhereRow(TypedDict):
    person: Map
    currentRole: str
    currentSince: Date
    entity: EntityRef
    via: EntityRef
    listing: Map
    role: Map


class ScreenEntitiesRow(TypedDict):
    key: str
    entity: EntityRef
    bindings: list[ExposureEntityRow]
    warnings: list[ResponsiblePersonsBoundElsewhereRow]


class ScreenPersonsRow(TypedDict):
    key: str
    person: Map
    bindings: list[ExposurePersonRow]


class ScreenNameCandidatesRow(TypedDict):
    key: str
    tier: int
    hits: list[Map]


class ScreenDecideRow(TypedDict):
    name: str
    candidate: str
    decision: str


class ScreenCandidateExistsRow(TypedDict):
    found: bool


class NeighborhoodRow(TypedDict):
    centerKey: str
    truncated: bool
    nodes: list[Map]
    edges: list[Map]


# --- listings, objections, redress, repair ----------------------------------------------------


class ListingSubjectLockRow(TypedDict):
    nodeId: str


class ListingContextRow(TypedDict):
    subjectFound: bool
    department: DepartmentRef | None
    idTaken: bool
    party: str | None
    basis: list[Map]
    alreadyListed: list[str]


class ListingCreateRow(TypedDict):
    nodeId: str
    listing: Map


class ListingTasksCreateRow(TypedDict):
    created: int


class LockedCountRow(TypedDict):
    """A `*_lock` statement over many nodes: how many it locked."""

    locked: int


class InterviewHeldOnRow(TypedDict):
    held: int


class ListingStateRow(TypedDict):
    listing: Map


class ListingEndRow(TypedDict):
    tasks: int
    links: int
    listing: Map


class ObjectionCreateRow(TypedDict):
    nodeId: str
    objection: Map


class ObjectionLockRow(TypedDict):
    nodeId: str
    objection: Map
    kind: str
    target: str
    department: str
    party: str
    visible: bool


class ObjectionRow(TypedDict):
    objection: Map


class PublicRecordsRow(TypedDict):
    found: bool
    totalCount: int
    page: list[Map]
    keys: list[list[Any]]
    start: int


class TargetContextRow(TypedDict):
    nodeId: str
    kind: str  # RECORD or LISTING
    id: str
    status: str
    polarity: str | None
    since: Date | None
    until: Date | None
    endedOn: Date | None
    department: str
    entity: str | None
    party: str
    repairPending: bool
    objectionOpen: bool


class TargetRecordsRow(TypedDict):
    id: str
    status: str
    periodStart: Date
    earliestRepair: Date


class RecordsRepairRow(TypedDict):
    nodeId: str
    id: str
    party: str
    before: Map
    after: Map


class BasisWithdrawRow(TypedDict):
    nodeId: str
    id: str
    party: str


class IdRow(TypedDict):
    id: str


class IdsRow(TypedDict):
    ids: list[str]


class RepairCreateRow(TypedDict):
    nodeId: str
    application: Map


class RepairLockRow(TypedDict):
    nodeId: str
    application: Map
    kind: str
    target: str
    department: str
    party: str
    visible: bool


class ApplicationRow(TypedDict):
    application: Map


# --- report, search ---------------------------------------------------------------------------


class ReportPerson(TypedDict):
    name: str
    idMasked: str | None
    role: str
    since: Date


class ReportEntityRow(TypedDict):
    entity: Map
    people: list[ReportPerson]


class ReportPublicRecordsRow(TypedDict):
    record: Map
    department: str


class DepartmentByCodeRow(TypedDict):
    department: DepartmentRef
    records: int
    listings: int


class DepartmentViewRow(TypedDict):
    key: str
    department: DepartmentRef


class MeasureViewRow(TypedDict):
    key: str
    measure: MeasureRef


class PersonHashByKeyRow(TypedDict):
    key: str
    idHash: str


class RecordViewRow(TypedDict):
    key: str
    record: Map


class ListingViewRow(TypedDict):
    key: str
    listing: Map


class TaskViewRow(TypedDict):
    key: str
    task: Map
    listingDepartment: str


class ExportPartiesRow(TypedDict):
    entities: list[Map]
    roles: list[Map]
    persons: list[Map]


# --- watch.cypher ----------------------------------------------------------------------------


class WatchRow(TypedDict):
    nodeId: str
    created: bool
    party: str
    watch: Map  # id, events, createdAt, subject {kind, uscc, idHash, name}


class WatchEndRow(TypedDict):
    nodeId: str
    party: str
    watch: Map


class AlertsRaiseRow(TypedDict):
    raised: int


class ReappearanceFactsRow(TypedDict):
    key: str
    relation: str  # the role taken, or HOLDS
    since: Any
    ratio: float | None
    person: Map  # idHash, name
    entity: Map  # uscc, name, established
    via: Map | None  # the listed entity the binding comes through: uscc, name, role, since, until
    listing: Map  # id, list, since, until
    basis: list[Map]  # id, category, decidedOn


class ImportNewKeysRow(TypedDict):
    keys: list[str]


class ImportedRecordRow(TypedDict):
    subject: Map  # uscc or idHash, name
    record: Map  # id, category, decidedOn


class ImportedListingRow(TypedDict):
    subject: Map  # uscc or idHash, name
    listing: Map  # id, list, since, until
    basis: list[Map]  # id, category, decidedOn


class DeadlineFactRow(TypedDict):
    deadline: str  # PUBLICATION, OBJECTION_ANSWER, TASK_FEEDBACK, COMMITMENT (domain/alerts.py DEADLINES)
    id: str
    name: str
    due: Any
    department: str | None
    subject: Map  # uscc or idHash, name


class GradeWatchedRow(TypedDict):
    uscc: str
    name: str
    seen: str | None


class CountRow(TypedDict):
    n: int


class AlertAcknowledgeRow(TypedDict):
    nodeId: str
    alert: Map


class AlertFeedRow(TypedDict):
    head: int  # the sequence's last value: every alert up to it is committed
    alerts: list[Map]  # seq, user, department; after $after, up to head, oldest first


class SeqRow(TypedDict):
    seq: int


class AlertShownRow(TypedDict):
    alert: Map  # as alerts_page's page items


# --- webhooks.cypher -------------------------------------------------------------------------


class WebhookRow(TypedDict):
    nodeId: str
    webhook: Map  # id, url, events, status, cursor, createdAt, department


class WebhookRegisteredRow(TypedDict):
    department: bool
    registered: bool


class WebhookDeliveryRequeueRow(TypedDict):
    nodeId: str
    delivery: Map


class WebhookClaimRow(TypedDict):
    webhook: Map  # id, department, url, events, secret (sealed), cursor


class WebhookReleaseRow(TypedDict):
    released: int


class WebhookDueRow(TypedDict):
    alert: Map  # as alerts_page's page items
    delivery: Map | None  # id, state, failures
    requeued: bool  # a DEAD delivery put back, behind the cursor
    waiting: bool  # its next attempt is not due yet


class WebhookRecordRow(TypedDict):
    recorded: int


class ChangedSinceRow(TypedDict):
    key: str
    subject: Map  # {kind, key, name} (@risk_node)
    boundThen: list[str]
    boundNow: list[str]
    listingsRecorded: list[str]
    recordsRecorded: list[str]
    changes: list[Map]


class CertificateTiesRow(TypedDict):
    entity: EntityRef | None
    person: Map | None
    ties: list[Map]  # kind, key (null: no identity), name, relation, ratio


class CertificateCreateRow(TypedDict):
    nodeId: str
    id: str
    parts: int


class CertificateGetRow(TypedDict):
    certificate: Map
    parts: list[Map]
    previousHash: str | None  # null for the first certificate of the chain


class Statements(Protocol):
    """Every named statement and its row type: the loader refuses neither a missing nor an extra
    entry, a test does (tests/test_cypher_rows.py)."""

    def all(self) -> list[Statement[Any]]: ...

    raw: dict[str, Statement[Any]]  # as written, placeholders not expanded
    fragments: dict[str, Fragment]
    file_docs: dict[str, str]  # each file's opening comment

    # admin.cypher
    admin_ping: Statement[AdminPingRow]
    admin_wipe_batch: Statement[AdminWipeBatchRow]
    admin_counts: Statement[AdminCountsRow]
    # bulk.cypher
    bulk_data_labels: Statement[BulkDataLabelsRow]
    # audit.cypher
    audit_lock_head: Statement[AuditLockHeadRow]
    audit_append: Statement[NoRow]
    audit_append_after: Statement[AuditAppendAfterRow]
    audit_range: Statement[AuditRangeRow]
    audit_head: Statement[AuditHeadRow]
    audit_page: Statement[PageRow]
    # certificates.cypher
    certificate_ties: Statement[CertificateTiesRow]
    certificate_lock_head: Statement[AuditLockHeadRow]
    certificate_create: Statement[CertificateCreateRow]
    certificate_get: Statement[CertificateGetRow]
    certificates_of_decision: Statement[CertificateGetRow]
    # catalogue.cypher
    catalogue_upsert_measures: Statement[NoRow]
    catalogue_upsert_lists: Statement[NoRow]
    catalogue_upsert_publicity: Statement[NoRow]
    # closed_loop.cypher
    tasks_of_executor: Statement[PageRow]
    tasks_of_listing_department: Statement[PageRow]
    task_details: Statement[TaskDetailsRow]
    task_lock: Statement[TaskLockRow]
    task_report: Statement[TaskReportRow]
    # commitments.cypher
    commitment_context: Statement[CommitmentContextRow]
    commitment_create: Statement[CommitmentCreateRow]
    commitment_lock: Statement[LockRow]
    commitment_state: Statement[CommitmentRow]
    commitment_close: Statement[CommitmentCloseRow]
    commitment_breach_link: Statement[NoRow]
    department_commitments: Statement[PageRow]
    # decisions.cypher
    decision_context: Statement[DecisionContextRow]
    decision_create: Statement[DecisionCreateRow]
    record_lock: Statement[RecordLockRow]
    record_state: Statement[RecordMapRow]
    record_publish: Statement[RecordMapRow]
    overdue_publications: Statement[PageRow]
    # entity.cypher
    entity_view: Statement[EntityViewRow]
    entity_with_relations: Statement[EntityWithRelationsRow]
    entity_with_relations_deep: Statement[EntityWithRelationsDeepRow]
    entity_ref: Statement[EntityRefRow]
    commitments_of: Statement[CommitmentRow]
    # grades.cypher
    grade_facts: Statement[GradeFactsRow]
    grade_facts_page: Statement[GradeFactsPageRow]
    grade_page_end: Statement[GradePageEndRow]
    # history.cypher
    history_append: Statement[NoRow]
    change_log: Statement[PageRow]
    # import.cypher
    import_existing_keys: Statement[ImportExistingKeysRow]
    import_holdings_of: Statement[ImportHoldingsOfRow]
    import_departments: Statement[ImportOutcomeRow]
    import_entities: Statement[ImportOutcomeRow]
    import_persons: Statement[ImportOutcomeRow]
    import_roles: Statement[ImportOutcomeRow]
    import_holdings: Statement[ImportOutcomeRow]
    import_branches: Statement[ImportOutcomeRow]
    import_records: Statement[ImportOutcomeRow]
    import_listings: Statement[ImportOutcomeRow]
    import_commitments: Statement[ImportOutcomeRow]
    import_unchanged_departments: Statement[ImportUnchangedRow]
    import_unchanged_entities: Statement[ImportUnchangedRow]
    import_unchanged_persons: Statement[ImportUnchangedRow]
    import_unchanged_roles: Statement[ImportUnchangedRow]
    import_unchanged_holdings: Statement[ImportUnchangedRow]
    import_unchanged_branches: Statement[ImportUnchangedRow]
    import_unchanged_records: Statement[ImportUnchangedRow]
    import_unchanged_listings: Statement[ImportUnchangedRow]
    import_unchanged_commitments: Statement[ImportUnchangedRow]
    import_stored_departments: Statement[ImportStoredRow]
    import_stored_entities: Statement[ImportStoredRow]
    import_stored_persons: Statement[ImportStoredRow]
    import_stored_records: Statement[ImportStoredRow]
    import_stored_commitments: Statement[ImportStoredRow]
    import_create_departments: Statement[ImportOutcomeRow]
    import_create_entities: Statement[ImportOutcomeRow]
    import_create_persons: Statement[ImportOutcomeRow]
    import_create_records: Statement[ImportOutcomeRow]
    import_create_commitments: Statement[ImportOutcomeRow]
    # inspection.cypher
    inspector_context: Statement[InspectorContextRow]
    inspector_create: Statement[InspectorCreateRow]
    inspector_leave: Statement[InspectorLeaveRow]
    roster_at: Statement[RosterAtRow]
    draw_context: Statement[DrawContextRow]
    draw_create: Statement[NodeIdRow]
    draw_by_id: Statement[DrawByIdRow]
    draws_page: Statement[PageRow]
    draw_selections: Statement[DrawSelectionsRow]
    draw_conflicts: Statement[DrawConflictsRow]
    draw_exclusions: Statement[DrawExclusionsRow]
    inspector_link_lock: Statement[InspectorLinkLockRow]
    inspector_link_create: Statement[NodeIdRow]
    relative_lock: Statement[RelativeLockRow]
    relative_create: Statement[NodeIdRow]
    # industry.cypher
    industry_scheme_lock: Statement[IndustrySchemeLockRow]
    industry_scheme_create: Statement[NodeIdRow]
    industry_scheme_by_id: Statement[IndustrySchemeByIdRow]
    industry_facts_page: Statement[IndustryFactsPageRow]
    industry_scheme_version_lock: Statement[IndustrySchemeVersionLockRow]
    industry_evaluation_create: Statement[NodeIdRow]
    industry_evaluation_lock: Statement[IndustryEvaluationLockRow]
    industry_evaluation_publish: Statement[NodeIdRow]
    industry_evaluation_for_draw: Statement[IdRow]
    industry_evaluation_grades: Statement[IndustryEvaluationGradesRow]
    industry_grades_of: Statement[IndustryGradesOfRow]
    # interviews.cypher
    interview_listing_lock: Statement[InterviewListingLockRow]
    interview_listing_state: Statement[InterviewListingStateRow]
    interview_held_on: Statement[InterviewHeldOnRow]
    interview_link: Statement[NoRow]
    interviews_due: Statement[PageRow]
    # linkage.cypher
    person_by_hash: Statement[PersonByHashRow]
    exposure_person: Statement[ExposurePersonRow]
    exposure_entity: Statement[ExposureEntityRow]
    listing_impact: Statement[ListingImpactRow]
    records_disclosed: Statement[IdsRow]
    ownership_upstream: Statement[OwnershipUpstreamRow]
    shortest_paths: Statement[ShortestPathsRow]
    responsible_persons_bound_elsewhere: Statement[ResponsiblePersonsBoundElsewhereRow]
    neighborhood: Statement[NeighborhoodRow]
    # screen.cypher
    m007_screen_decision_name_index: Statement[NoRow]
    screen_entities: Statement[ScreenEntitiesRow]
    screen_persons: Statement[ScreenPersonsRow]
    screen_name_candidates: Statement[ScreenNameCandidatesRow]
    screen_decide: Statement[ScreenDecideRow]
    screen_candidate_exists: Statement[ScreenCandidateExistsRow]

    # risks.cypher (each scan a keyset page of findings {subject, score, count, paths})
    risk_responsible_of_listed: Statement[PageRow]
    risk_listed_clusters: Statement[PageRow]
    risk_bound_elsewhere: Statement[PageRow]
    risk_circular_holdings: Statement[PageRow]
    changed_since: Statement[ChangedSinceRow]
    # listings.cypher
    listing_context: Statement[ListingContextRow]
    listing_subject_lock: Statement[ListingSubjectLockRow]
    listing_create: Statement[ListingCreateRow]
    listing_cascade_create: Statement[ListingTasksCreateRow]
    listing_lock: Statement[LockRow]
    listing_state: Statement[ListingStateRow]
    listing_basis_lock: Statement[LockedCountRow]
    listing_tasks_lock: Statement[LockedCountRow]
    listing_end: Statement[ListingEndRow]
    # objections.cypher
    objection_create: Statement[ObjectionCreateRow]
    objection_lock: Statement[ObjectionLockRow]
    objection_answer: Statement[ObjectionRow]
    record_correct: Statement[RecordMapRow]
    overdue_objections: Statement[PageRow]
    subject_objections: Statement[PageRow]
    # pages.cypher
    entity_roles_page: Statement[KeyedPageRow]
    person_roles_page: Statement[KeyedPageRow]
    entity_holders_page: Statement[KeyedPageRow]
    subject_holdings_page: Statement[KeyedPageRow]
    entity_branches_page: Statement[KeyedPageRow]
    subject_records_page: Statement[KeyedPageRow]
    subject_listings_page: Statement[KeyedPageRow]
    # publication.cypher
    public_records: Statement[PublicRecordsRow]
    # redress.cypher
    target_context: Statement[TargetContextRow]
    target_records: Statement[TargetRecordsRow]
    target_records_lock: Statement[LockedCountRow]
    basis_listings_lock: Statement[LockedCountRow]
    records_repair: Statement[RecordsRepairRow]
    basis_withdraw: Statement[BasisWithdrawRow]
    listings_without_basis: Statement[IdRow]
    # repair.cypher
    repair_create: Statement[RepairCreateRow]
    repair_lock: Statement[RepairLockRow]
    repair_decide: Statement[ApplicationRow]
    repair_applications: Statement[PageRow]
    # report.cypher
    report_entity: Statement[ReportEntityRow]
    report_public_records: Statement[ReportPublicRecordsRow]
    # schema.cypher (migrations mNNN_* are schema commands: no rows)
    m001_schema_version_unique: Statement[NoRow]
    m001_entity_uscc_unique: Statement[NoRow]
    m001_person_id_hash_unique: Statement[NoRow]
    m001_department_code_unique: Statement[NoRow]
    m001_record_id_unique: Statement[NoRow]
    m001_listing_id_unique: Statement[NoRow]
    m001_commitment_id_unique: Statement[NoRow]
    m001_measure_code_unique: Statement[NoRow]
    m001_list_type_code_unique: Statement[NoRow]
    m001_revision_key_index: Statement[NoRow]
    m001_record_decided_index: Statement[NoRow]
    m001_listing_list_index: Statement[NoRow]
    m001_entity_region_index: Statement[NoRow]
    m001_name_fulltext: Statement[NoRow]
    m002_change_id_unique: Statement[NoRow]
    m002_change_party_index: Statement[NoRow]
    m002_task_id_unique: Statement[NoRow]
    m002_task_pending_index: Statement[NoRow]
    m002_audit_seq_unique: Statement[NoRow]
    m002_record_publish_due_index: Statement[NoRow]
    m002_inspector_id_unique: Statement[NoRow]
    m002_draw_id_unique: Statement[NoRow]
    m002_draw_department_index: Statement[NoRow]
    m003_audit_head_unique: Statement[NoRow]
    m003_entity_name_fulltext: Statement[NoRow]
    m005_certificate_head_unique: Statement[NoRow]
    m005_certificate_id_unique: Statement[NoRow]
    m005_certificate_seq_unique: Statement[NoRow]
    m005_certificate_decision_index: Statement[NoRow]
    schema_version_get: Statement[SchemaVersionGetRow]
    schema_version_set: Statement[NoRow]
    schema_await_indexes: Statement[NoRow]
    # search.cypher
    search_parties: Statement[SearchRow]
    search_entities: Statement[SearchRow]
    search_parties_by_substring: Statement[SearchRow]
    department_by_code: Statement[DepartmentByCodeRow]
    # node.cypher
    department_view: Statement[DepartmentViewRow]
    catalogue_measure_view: Statement[MeasureViewRow]
    person_hash_by_key: Statement[PersonHashByKeyRow]
    record_view: Statement[RecordViewRow]
    listing_view: Statement[ListingViewRow]
    task_view: Statement[TaskViewRow]
    # exports.cypher
    export_parties: Statement[ExportPartiesRow]
    # watch.cypher
    m004_watch_id_unique: Statement[NoRow]
    m004_alert_id_unique: Statement[NoRow]
    m004_alert_seq_unique: Statement[NoRow]
    m004_alert_sequence_unique: Statement[NoRow]
    m004_screen_decision_unique: Statement[NoRow]
    m005_alert_key_unique: Statement[NoRow]
    m005_grade_seen_unique: Statement[NoRow]
    watch_upsert: Statement[WatchRow]
    watch_end: Statement[WatchEndRow]
    watches_page: Statement[PageRow]
    alerts_raise: Statement[AlertsRaiseRow]
    reappearance_facts: Statement[ReappearanceFactsRow]
    alerts_page: Statement[PageRow]
    alert_acknowledge: Statement[AlertAcknowledgeRow]
    alerts_feed: Statement[AlertFeedRow]
    alerts_head: Statement[SeqRow]
    alerts_backlog: Statement[AlertShownRow]
    alerts_by_seq: Statement[AlertShownRow]
    import_new_records: Statement[ImportNewKeysRow]
    import_new_listings: Statement[ImportNewKeysRow]
    imported_records: Statement[ImportedRecordRow]
    imported_listings: Statement[ImportedListingRow]
    # deadlines.cypher
    deadline_facts: Statement[DeadlineFactRow]
    grade_watched: Statement[GradeWatchedRow]
    grade_seen_set: Statement[CountRow]
    # webhooks.cypher
    m005_webhook_id_unique: Statement[NoRow]
    m005_webhook_delivery_id_unique: Statement[NoRow]
    m005_webhook_delivery_key_unique: Statement[NoRow]
    m006_webhook_delivery_state_index: Statement[NoRow]
    m006_alert_department_seq_index: Statement[NoRow]
    webhook_create: Statement[WebhookRow]
    webhook_registered: Statement[WebhookRegisteredRow]
    webhook_remove: Statement[WebhookRow]
    webhooks_page: Statement[PageRow]
    webhook_deliveries_page: Statement[PageRow]
    webhook_delivery_requeue: Statement[WebhookDeliveryRequeueRow]
    webhook_claim: Statement[WebhookClaimRow]
    webhook_release: Statement[WebhookReleaseRow]
    webhook_worker_leave: Statement[NoRow]
    webhook_due: Statement[WebhookDueRow]
    webhook_record: Statement[WebhookRecordRow]


def _declared() -> dict[str, type[Any]]:
    hints = get_type_hints(Statements)
    return {name: get_args(hint)[0] for name, hint in hints.items() if get_origin(hint) is Statement}


ROWS: dict[str, type[Any]] = _declared()
