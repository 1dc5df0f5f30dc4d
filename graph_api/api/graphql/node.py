"""Relay object identification on Query: `node(id:)` and `nodes(ids:)`. An id that does not decode, names a
kind this API does not open, or names an object that is missing or hidden from the reader is null, with no
error: hidden and missing look the same, so an id is no oracle of existence. A person is a personal read
exactly as `person(idNumber:)`: the same roles and purpose (an error on that id alone), audited."""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Annotated, Any, cast

import strawberry
from strawberry.types import Info

from graph_api.api.graphql.closed_loop import Task
from graph_api.api.graphql.context import Context
from graph_api.api.graphql.fields import field
from graph_api.api.graphql.global_id import (
    DEPARTMENT,
    ENTITY,
    LISTING,
    MEASURE,
    PERSON,
    RECORD,
    TASK,
    Node,
    decode_id,
)
from graph_api.api.graphql.types import CreditRecord, Department, Listing, Measure
from graph_api.api.graphql.views import Entity, Person
from graph_api.domain.clock import today
from graph_api.domain.permissions import check_personal_data, reads_task, record_params
from graph_api.errors import BadUserInput
from graph_api.store.cypher_loader import queries

MAX_IDS = 100


async def _open(info: Info[Context, None], kind: str, key: str) -> Node | None:
    """The object of one decoded id, loaded in the request's batch: one round trip per kind."""
    context = info.context
    batch = context.batch
    if kind == ENTITY:
        entity = await batch.row(queries.entity_view, key)
        return Entity.from_row(entity) if entity else None
    if kind == PERSON:
        check_personal_data(context.actor(), context.purpose)
        person = await batch.row(queries.person_by_hash, key)
        if person is None:
            return None
        context.personal_reads.add(key)
        return Person.from_row(person)
    if kind == DEPARTMENT:
        department = await batch.row(queries.department_view, key)
        return Department.from_map(department["department"]) if department else None
    if kind == MEASURE:
        measure = await batch.row(queries.catalogue_measure_view, key)
        return Measure.from_map(measure["measure"]) if measure else None
    if kind == RECORD:
        record = await batch.row(queries.record_view, key, **record_params(context.actor(), today()))
        return CreditRecord.from_map(record["record"]) if record else None
    if kind == LISTING:
        # of the basis, only the records the reader sees, as everywhere a listing is shown
        listing = await batch.row(queries.listing_view, key, **record_params(context.actor(), today()))
        return Listing.from_map(listing["listing"]) if listing else None
    if kind == TASK:
        task = await batch.row(queries.task_view, key)
        if task is None or not reads_task(context.actor(), task["task"]["executor"], task["listingDepartment"]):
            return None
        return Task.from_map(task["task"])
    return None


async def open_node(info: Info[Context, None], global_id: str) -> Node | None:
    decoded = decode_id(info, global_id)
    return None if decoded is None else await _open(info, *decoded)


@strawberry.type
class NodeQueries:
    @field(
        description="The object with this global id (Node.id), or null when the id was not made by this API or "
        "names nothing the reader may see. A person's id needs the rights of person(idNumber:)."
    )
    async def node(
        self,
        info: Info[Context, None],
        id: Annotated[strawberry.ID, strawberry.argument(description="A global id returned by this API.")],
    ) -> Node | None:
        return await open_node(info, id)

    @field(
        description=f"The objects of these global ids, in their order: null for each as node(id:) would be, an "
        f"error on the person ids the reader may not open. At most {MAX_IDS} ids; one round trip per kind."
    )
    def nodes(
        self,
        info: Info[Context, None],
        ids: Annotated[list[strawberry.ID], strawberry.argument(description=f"Global ids, at most {MAX_IDS}.")],
    ) -> list[Node | None]:
        if len(ids) > MAX_IDS:
            raise BadUserInput(f"ids takes at most {MAX_IDS} ids", field="ids")
        # Awaitables, one per item: GraphQL awaits them together (one batch per kind) and puts an item's
        # error at its own index, leaving the others.
        items: list[Awaitable[Node | None]] = [open_node(info, i) for i in ids]
        return cast(list[Any], items)
