"""Answers to the linkage questions, each with the paths that explain it (docs/domain-rules.md, "Linkage")."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

import strawberry
from strawberry.types import Info

from graph_api.api.graphql.context import Context
from graph_api.api.graphql.enums import BindingKind, ListCode, NodeKind, RelatedReason, RoleType
from graph_api.api.graphql.fields import field
from graph_api.api.graphql.inputs import SubjectInput, subject_of
from graph_api.api.graphql.paths import (
    Path,
    PathNode,
    entity_node,
    listing_path,
    node_of,
    person_key,
    person_node,
    step,
)
from graph_api.api.graphql.types import Department, EntityRef, Measure, PersonSummary, _date, _day
from graph_api.domain import disclosure, paths
from graph_api.domain import linkage as rules
from graph_api.domain.clock import today
from graph_api.domain.ownership import Holding, controllers_of
from graph_api.domain.permissions import record_params
from graph_api.errors import NotFound
from graph_api.store import rows as row_types
from graph_api.store.cypher_loader import queries
from graph_api.store.values import native


@strawberry.type(description="A listing as it bears on an answer.")
class ListingSummary:
    id: str = strawberry.field(description="The listing's id.")
    list: ListCode = strawberry.field(description="Which list.")
    since: dt.date = strawberry.field(description="First day the subject is on the list.")
    until: dt.date | None = strawberry.field(description="Planned first day off the list; null for open-ended.")
    department: Department = strawberry.field(description="The department that listed the subject.")

    @classmethod
    def from_maps(cls, listing: Mapping[str, Any], department: Mapping[str, Any]) -> ListingSummary:
        return cls(
            id=listing["id"],
            list=ListCode(listing["list"]),
            since=_day(listing["since"]),
            until=_date(listing["until"]),
            department=Department.from_map(department),
        )


@strawberry.type(description="One listing binding a subject, the measures it imposes on it, and why.")
class Binding:
    kind: BindingKind = strawberry.field(
        description="Bound as the listed subject itself, or as a responsible person of a listed entity."
    )
    listing: ListingSummary = strawberry.field(description="The listing that binds.")
    role: RoleType | None = strawberry.field(description="The responsible role held at the listed entity.")
    via: EntityRef | None = strawberry.field(description="The listed entity, when bound as its responsible person.")
    window_start: dt.date | None = strawberry.field(
        description="Start of the responsibility window (earliest basis decision); null when a record of the "
        "basis is not disclosed to the reader (its date would name it)."
    )
    measures: list[Measure] = strawberry.field(description="The measures of the listing that bind this subject.")
    path: Path = strawberry.field(description="Why: from the subject to the listing and its basis records.")


@strawberry.type(description="Everything binding an entity or a person as of a date.")
class Exposure:
    subject: PathNode = strawberry.field(description="The subject asked about.")
    as_of: dt.date = strawberry.field(description="The day the answer is as of.")
    bindings: list[Binding] = strawberry.field(
        description="Every listing in force that binds the subject, each with its measures and path."
    )

    @field(description="Distinct measures in force on the subject.")
    def measures_in_force(self) -> list[Measure]:
        seen: dict[str, Measure] = {}
        for b in self.bindings:
            for m in b.measures:
                seen.setdefault(m.code, m)
        return sorted(seen.values(), key=lambda m: m.code)


def _window_start(basis: list[row_types.DisclosedBasisRef]) -> dt.date | None:
    """The earliest basis decision (the statement orders the basis by it), unless a record of the basis is
    hidden from the reader: then the date could be that record's, and nothing is said."""
    if not basis or not all(b["disclosed"] for b in basis):
        return None
    return _date(basis[0]["decidedOn"])


def exposure_of_person(rows: list[row_types.ExposurePersonRow], person: Mapping[str, Any], as_of: dt.date) -> Exposure:
    subject = person_node(person)
    bindings = []
    for r in rows:
        role: RoleType | None = None
        via: EntityRef | None = None
        window: dt.date | None = None
        if r["via"] is None:
            path = listing_path([], [], subject, r["listing"], r["basis"])
            kind = BindingKind.DIRECT
        else:
            via_node = entity_node(r["via"])
            tie = r["role"]
            assert tie is not None  # the statement returns the role whenever the binding runs via an entity
            first = step(tie["type"], subject, via_node, tie["since"], tie["until"])
            path = listing_path([subject], [first], via_node, r["listing"], r["basis"])
            kind, via = BindingKind.RESPONSIBLE_PERSON, EntityRef.from_map(r["via"])
            window, role = _window_start(r["basis"]), RoleType(tie["type"])
        bindings.append(
            Binding(
                kind=kind,
                listing=ListingSummary.from_maps(r["listing"], r["department"]),
                role=role,
                via=via,
                window_start=window,
                measures=[Measure.from_map(m) for m in r["measures"]],
                path=path,
            )
        )
    return Exposure(subject=subject, as_of=as_of, bindings=bindings)


def exposure_of_entity(rows: list[row_types.ExposureEntityRow], entity: Mapping[str, Any], as_of: dt.date) -> Exposure:
    subject = entity_node(entity)
    return Exposure(
        subject=subject,
        as_of=as_of,
        bindings=[
            Binding(
                kind=BindingKind.DIRECT,
                listing=ListingSummary.from_maps(r["listing"], r["department"]),
                role=None,
                via=None,
                window_start=None,
                measures=[Measure.from_map(m) for m in r["measures"]],
                path=listing_path([], [], subject, r["listing"], r["basis"]),
            )
            for r in rows
        ],
    )


@strawberry.type(description="A responsible person of the listed entity and the role that binds or shows them.")
class ResponsiblePerson:
    person: PersonSummary = strawberry.field(description="The person.")
    person_key: str = strawberry.field(description="The opaque person key (stable; never the identity number).")
    role: RoleType = strawberry.field(description="The responsible role held at the listed entity.")
    since: dt.date = strawberry.field(description="First day the role was held.")
    until: dt.date | None = strawberry.field(description="First day it was no longer held; null while it still is.")
    bound: bool = strawberry.field(description="Held the role in the responsibility window: personally bound.")
    current: bool = strawberry.field(description="Holds the role on the as-of date.")
    path: Path = strawberry.field(description="From the person through the role to the listing.")


@strawberry.type(description="An entity flagged by a listing, with each reason and the path that explains it.")
class RelatedFlag:
    reason: RelatedReason = strawberry.field(description="Why the entity is flagged.")
    path: Path = strawberry.field(description="How the listing reaches it.")


@strawberry.type(description="An entity a listing flags for attention (watched, not punished), with each reason.")
class RelatedEntity:
    entity: EntityRef = strawberry.field(description="The flagged entity.")
    flags: list[RelatedFlag] = strawberry.field(description="Each reason it is flagged, with its path.")


@strawberry.type(description="Whom a listing reaches as of a date.")
class ListingImpact:
    listing: ListingSummary = strawberry.field(description="The listing.")
    subject: PathNode = strawberry.field(description="The listed subject.")
    as_of: dt.date = strawberry.field(description="The day the answer is as of.")
    in_force: bool = strawberry.field(description="Whether the listing is in force on that day.")
    window_start: dt.date | None = strawberry.field(
        description="Start of the responsibility window (earliest basis decision); null when a record of the "
        "basis is not disclosed to the reader. Paths pass such a record as the one UNDISCLOSED node."
    )
    bound_persons: list[ResponsiblePerson] = strawberry.field(
        description="Personally bound (only while the listing is in force)."
    )
    current_representatives: list[ResponsiblePerson] = strawberry.field(
        description="Responsible persons on the as-of date, bound or not."
    )
    related_entities: list[RelatedEntity] = strawberry.field(
        description="Entities flagged for attention, with reasons and paths (only while the listing is in force)."
    )


def decide_impact(row: row_types.ListingImpactRow, as_of: dt.date) -> rules.Impact:
    """The domain's answer (graph_api/domain/linkage.py) for a `listing_impact` row (which echoes the
    maxHops it was asked with)."""
    return rules.decide_impact(native(row), as_of, row["maxHops"])


def listing_impact(
    row: row_types.ListingImpactRow, as_of: dt.date, hidden: frozenset[str] = frozenset()
) -> ListingImpact:
    return impact_type(decide_impact(row, as_of), as_of, hidden)


async def hidden_records(info: Info[Context, None], ids: Iterable[str]) -> frozenset[str]:
    """Which of the records `ids` the reader may not see (records_disclosed, @record_visible)."""
    wanted = sorted(set(ids))
    if not wanted:
        return frozenset()
    rows = await info.context.read(
        queries.records_disclosed, ids=wanted, **record_params(info.context.actor(), today())
    )
    return frozenset(wanted) - set(rows[0]["ids"])


async def disclosed_listing_impact(
    info: Info[Context, None], row: row_types.ListingImpactRow, as_of: dt.date
) -> ListingImpact:
    """listingImpact as the reader may see it: listing_impact serves the listing's write too, so it takes no
    reader; the records of its basis the reader may not see are found apart and not named."""
    return listing_impact(row, as_of, await hidden_records(info, (b["id"] for b in row["basis"])))


def impact_type(impact: rules.Impact, as_of: dt.date, hidden: frozenset[str] = frozenset()) -> ListingImpact:
    """The domain's answer as GraphQL types; a path through a record in `hidden` passes the undisclosed node
    instead, and the window start (a basis decision date) is not given."""

    def path(p: paths.Path) -> Path:
        return Path.of(disclosure.path(p, hidden))

    def person(r: rules.Responsible) -> ResponsiblePerson:
        return ResponsiblePerson(
            person=PersonSummary.from_map(r.person),
            person_key=r.key,
            role=RoleType(r.role),
            since=_day(r.since),
            until=r.until,
            bound=r.bound,
            current=r.current,
            path=path(r.path),
        )

    return ListingImpact(
        listing=ListingSummary.from_maps(impact.listing, impact.department),
        subject=node_of(impact.subject),
        as_of=as_of,
        in_force=impact.in_force,
        window_start=None if hidden else impact.window_start,
        bound_persons=[person(r) for r in impact.bound_persons],
        current_representatives=[person(r) for r in impact.current_representatives],
        related_entities=[
            RelatedEntity(
                entity=EntityRef.from_map(e),
                flags=[RelatedFlag(reason=RelatedReason(f.reason), path=path(f.path)) for f in flags],
            )
            for e, flags in impact.related()
        ],
    )


@strawberry.type(description="A party that controls or owns an entity, with its share and the paths.")
class OwnershipParty:
    party: PathNode = strawberry.field(description="The entity or person.")
    share: float = strawberry.field(description="Effective ownership: sum over paths of the product of ratios (0..1).")
    paths: list[Path] = strawberry.field(description="The holding chains its share runs through.")


@strawberry.type(description="Who controls an entity as of a date: declared, inferred (疑似) and beneficial owners.")
class Controllers:
    entity: EntityRef = strawberry.field(description="The entity asked about.")
    as_of: dt.date = strawberry.field(description="The day the answer is as of.")
    declared: list[PersonSummary] = strawberry.field(description="Declared actual controllers (实际控制人).")
    inferred: OwnershipParty | None = strawberry.field(
        description="The ultimate controller by the control-chain rule (>50% directly or through controlled "
        "entities); inferred, 疑似."
    )
    beneficial_owners: list[OwnershipParty] = strawberry.field(
        description="Persons whose effective ownership reaches the threshold."
    )
    threshold: float = strawberry.field(
        description="The effective-ownership share that makes a beneficial owner, as asked."
    )
    truncated: bool = strawberry.field(
        description="The ownership graph above the entity was too large to follow completely (more than 5000 parties, "
        "64 holdings up, or 20000 paths): the answer stands on the part that was followed."
    )


def controllers(row: row_types.OwnershipUpstreamRow, as_of: dt.date, threshold: float) -> Controllers:
    entity = row["entity"]
    edges = native(row["edges"])
    holdings = [Holding(e["holder"], e["entity"], e["ratio"], e["since"], e["until"]) for e in edges]
    persons = {e["holder"] for e in edges if e["holderKind"] == "PERSON"}
    names: dict[str, PathNode] = {entity["uscc"]: entity_node(entity)}
    for e in edges:
        names[e["entity"]] = PathNode(kind=NodeKind.ENTITY, key=e["entity"], name=e["entityName"])
        names[e["holder"]] = (
            PathNode(kind=NodeKind.PERSON, key=person_key(e["holder"]), name=e["holderName"])
            if e["holderKind"] == "PERSON"
            else PathNode(kind=NodeKind.ENTITY, key=e["holder"], name=e["holderName"])
        )

    def as_path(p: list[Holding]) -> Path:
        nodes = [names[p[0].holder]] + [names[h.entity] for h in p]
        steps = [step("HOLDS", names[h.holder], names[h.entity], h.since, h.until, h.ratio) for h in p]
        return Path(nodes=nodes, steps=steps)

    answer = controllers_of(entity["uscc"], holdings, persons, set(row["reached"]), threshold)
    inferred = None
    if answer.inferred is not None:
        inferred = OwnershipParty(
            party=names[answer.inferred],
            share=round(answer.inferred_share, 10),
            paths=[as_path(p) for p in answer.inferred_paths],
        )
    return Controllers(
        entity=EntityRef.from_map(entity),
        as_of=as_of,
        declared=[PersonSummary.from_map(d["person"]) for d in row["declared"]],
        inferred=inferred,
        threshold=threshold,
        truncated=answer.truncated,
        beneficial_owners=[
            OwnershipParty(party=names[k], share=round(o.share, 10), paths=[as_path(p) for p in o.paths])
            for k, o in answer.beneficial_owners
        ],
    )


async def load_exposure(info: Info[Context, None], subject: SubjectInput, as_of: dt.date) -> Exposure:
    """Two round trips whatever the answer's size: the subject, then its bindings (their basis records as
    the reader may see them)."""
    seen = record_params(info.context.actor(), today())
    party = subject_of(info, subject)
    if party.entity:
        entity = await _entity_ref(info, party.entity)
        rows = await info.context.read(queries.exposure_entity, uscc=party.entity, asOf=as_of, **seen)
        return exposure_of_entity(rows, entity, as_of)
    id_hash = party.party
    person = await info.context.batch.row(queries.person_by_hash, id_hash)
    if person is None:
        raise NotFound("no person with this identity number" if subject.id_number else "no such person")
    bindings = await info.context.read(queries.exposure_person, idHash=id_hash, asOf=as_of, **seen)
    return exposure_of_person(bindings, person["person"], as_of)


async def _entity_ref(info: Info[Context, None], uscc: str) -> row_types.EntityRef:
    rows = await info.context.read(queries.entity_ref, uscc=uscc)
    if not rows:
        raise NotFound(f"no entity with unified social credit code {uscc}", uscc=uscc)
    return rows[0]["entity"]
