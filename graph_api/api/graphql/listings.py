"""Listing and delisting (列入/移出名单) as GraphQL sees them: the inputs and results, and resolvers that
hand the work to `graph_api.services.listings` (the cascade and its refusals live there)."""

from __future__ import annotations

import builtins
import datetime as dt
from typing import Annotated

import strawberry
from strawberry.types import Info

from graph_api.api.graphql.context import Context
from graph_api.api.graphql.enums import ListCode, ListingStatus
from graph_api.api.graphql.fields import mutation
from graph_api.api.graphql.inputs import SubjectInput, subject_of
from graph_api.api.graphql.linkage import ListingImpact, hidden_records, impact_type
from graph_api.api.graphql.writes import Refusal, refused, run
from graph_api.services import listings


@strawberry.input(
    description="Put a subject on a list, on the basis of its records, for the acting officer's department."
)
class ListingInput:
    subject: SubjectInput = strawberry.field(description="Whom to list.")
    list: ListCode = strawberry.field(description="Which list.")
    # `list` above is the field; the type is the builtin's
    basis: builtins.list[str] = strawberry.field(description="Ids of the records the listing rests on (at least one).")
    since: dt.date = strawberry.field(description="First day on the list; the basis records must be decided no later.")
    until: dt.date | None = strawberry.field(default=None, description="Planned end; open-ended when null.")
    rectify_by: dt.date | None = strawberry.field(
        default=None,
        description="Rectification deadline (整改期限); past it an interview becomes due for the listing department.",
    )
    measures: builtins.list[str] | None = strawberry.field(
        default=None, description="Measure codes; the list's defaults when null."
    )
    id: str | None = strawberry.field(default=None, description="The listing id; generated when not given.")


@strawberry.type(description="A listing made, with what it set in motion.")
class Listed:
    impact: ListingImpact = strawberry.field(
        description="Whom it reaches on its first day: bound persons, related entities."
    )
    tasks_pushed: int = strawberry.field(description="Closed-loop tasks pushed to executing departments.")
    persons_bound: int = strawberry.field(description="How many persons the listing binds personally.")
    entities_flagged: int = strawberry.field(description="How many related entities it flags.")


@strawberry.type(description="A listing ended, with what ended with it.")
class ListingEnded:
    listing_id: str = strawberry.field(description="The listing's id.")
    status: str = strawberry.field(graphql_type=ListingStatus, description="How it ended: DELISTED by the department.")
    ended_on: dt.date = strawberry.field(description="The first day it is no longer in force.")
    planned_until: dt.date | None = strawberry.field(description="The end it had been given; null for open-ended.")
    tasks_ended: int = strawberry.field(
        description="Tasks whose measure ended (pending ones closed without execution)."
    )
    links_ended: int = strawberry.field(description="Personal bindings and related-entity flags ended.")


ListResult = Annotated[Listed | Refusal, strawberry.union("ListResult", description=refused("Listed"))]
DelistResult = Annotated[ListingEnded | Refusal, strawberry.union("DelistResult", description=refused("ListingEnded"))]


def listing_request(info: Info[Context, None], input: ListingInput) -> listings.ListingRequest:
    """The service's request for `input` (a person by identity number is a personal read, audited)."""
    return listings.ListingRequest(
        subject=subject_of(info, input.subject),
        list=input.list.value,
        basis=tuple(input.basis),
        since=input.since,
        until=input.until,
        rectify_by=input.rectify_by,
        measures=tuple(input.measures) if input.measures is not None else None,
        id=input.id,
    )


def _listed(r: listings.Listed, since: dt.date, hidden: frozenset[str]) -> Listed:
    return Listed(
        impact=impact_type(r.impact, since, hidden),
        tasks_pushed=r.tasks_pushed,
        persons_bound=r.persons_bound,
        entities_flagged=r.entities_flagged,
    )


def _ended(r: listings.ListingEnd) -> ListingEnded:
    return ListingEnded(
        listing_id=r.listing_id,
        status=r.status,
        ended_on=r.ended_on,
        planned_until=r.planned_until,
        tasks_ended=r.tasks_ended,
        links_ended=r.links_ended,
    )


@strawberry.type
class ListingMutations:
    @mutation(
        description="List a subject (列入名单). A JOINT_PUNISHMENT listing of an entity binds its responsible "
        "persons by the window rule and flags related entities; every measure is pushed "
        "as a task to its executing departments."
    )
    async def list_subject(
        self, info: Info[Context, None], input: Annotated[ListingInput, strawberry.argument(description="The listing.")]
    ) -> ListResult:
        listed = await run(info, listings.list_subject, listing_request(info, input), lambda done: done)
        if isinstance(listed, Refusal):
            return listed
        # the impact's paths pass through the basis: a record of it the officer may not see is not named
        return _listed(listed, input.since, await hidden_records(info, input.basis))

    @mutation(
        description="Take a subject off a list (移出名单) from a day: the listing, its measures, tasks, "
        "personal bindings and flags end; all stays readable as history."
    )
    async def delist(
        self,
        info: Info[Context, None],
        listing: Annotated[str, strawberry.argument(description="The listing's id.")],
        reason: Annotated[str, strawberry.argument(description="Why the subject is taken off the list (required).")],
        on: dt.date | None = None,
    ) -> DelistResult:
        request = listings.DelistRequest(listing=listing, reason=reason, on=on)
        return await run(info, listings.delist, request, _ended)
