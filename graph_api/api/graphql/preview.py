"""A listing's dry run (issue 16): `previewListing` takes `listSubject`'s input and answers what the listing
would do on its first day — the same work, run by `services.listings.preview_listing` in a transaction that
is rolled back. The refusal `listSubject` would give is data of the answer, not an error: the officer asked
whether the listing may be made. Invalid input (BAD_USER_INPUT) is an error, as for `listSubject`."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry.types import Info

from graph_api.api.graphql.context import Context
from graph_api.api.graphql.fields import field
from graph_api.api.graphql.linkage import ListingImpact, hidden_records, impact_type
from graph_api.api.graphql.listings import ListingInput, listing_request
from graph_api.api.graphql.writes import Refusal, refusal
from graph_api.domain.paths import person_key
from graph_api.domain.refusals import Refused
from graph_api.services import listings


@strawberry.type(description="A closed-loop task the listing would push: one measure for one executing department.")
class PlannedTask:
    measure: str = strawberry.field(description="The measure's code.")
    executor_kind: str = strawberry.field(description="The kind of executing department (e.g. FINANCE).")
    executor: str = strawberry.field(description="The executing department's code (the listing region's).")
    subjects: list[str] = strawberry.field(
        description="Whom the measure binds: USCCs of entities and opaque person keys (never identity numbers)."
    )


@strawberry.type(description="What a listing would do on its first day, nothing written; or why it would be refused.")
class ListingPreview:
    would_list: bool = strawberry.field(description="True when listSubject would make this listing now.")
    refusals: list[Refusal] = strawberry.field(
        description="The refusal listSubject would give (empty when it would list). The rules stop at the first."
    )
    listing_id: str | None = strawberry.field(
        description="The listing's id: the one given, or the one generated for this preview (a later listSubject "
        "without an id generates another)."
    )
    impact: ListingImpact | None = strawberry.field(
        description="Whom it would reach on its first day: bound persons with their windows, related entities."
    )
    measures: list[str] = strawberry.field(description="The measures it would apply, in order.")
    tasks: list[PlannedTask] = strawberry.field(description="The tasks each executing department would receive.")
    tasks_pushed: int = strawberry.field(description="How many tasks (as listSubject's tasksPushed).")
    persons_bound: int = strawberry.field(description="How many persons it would bind (as listSubject's).")
    entities_flagged: int = strawberry.field(description="How many related entities it would flag.")


def _refused(r: Refused) -> ListingPreview:
    return ListingPreview(
        would_list=False,
        refusals=[refusal(r)],
        listing_id=None,
        impact=None,
        measures=[],
        tasks=[],
        tasks_pushed=0,
        persons_bound=0,
        entities_flagged=0,
    )


def _task(t: listings.PlannedTask) -> PlannedTask:
    subjects = [s if len(s) == 18 else person_key(s) for s in t.subjects]  # a USCC has 18 characters
    return PlannedTask(measure=t.measure, executor_kind=t.executor_kind, executor=t.executor, subjects=subjects)


@strawberry.type
class PreviewQueries:
    @field(
        description="The dry run of listSubject (名单预演): the same input, nothing written, and what the listing "
        "would do on its first day — bound persons, related entities with reasons and paths, measures and the "
        "tasks of each executing department — or the refusal listSubject would give."
    )
    async def preview_listing(
        self, info: Info[Context, None], input: Annotated[ListingInput, strawberry.argument(description="The listing.")]
    ) -> ListingPreview:
        context = info.context
        try:
            done = await listings.preview_listing(context.store, context.actor(), listing_request(info, input))
        except Refused as r:
            return _refused(r)
        # as listSubject's answer: a basis record the officer may not see is not named on a path
        hidden = await hidden_records(info, input.basis)
        return ListingPreview(
            would_list=True,
            refusals=[],
            listing_id=done.listing_id,
            impact=impact_type(done.impact, input.since, hidden),
            measures=list(done.measures),
            tasks=[_task(t) for t in done.tasks],
            tasks_pushed=done.tasks_pushed,
            persons_bound=done.persons_bound,
            entities_flagged=done.entities_flagged,
        )
