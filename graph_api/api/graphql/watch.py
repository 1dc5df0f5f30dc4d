"""Watchlists and the alert inbox (the rules: `graph_api.services.watch`; who is alerted of what:
cypher/watch.cypher `alerts_raise`). An alert's path is shown to each reader as every other path is:
the records it may not see are the one undisclosed node, persons' names as `PathNode` shows them."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from graph_api.api.graphql.codes import closed_set
from graph_api.api.graphql.connections import Connection, build, window
from graph_api.api.graphql.context import Context
from graph_api.api.graphql.fields import field, mutation
from graph_api.api.graphql.inputs import SubjectInput, subject_of
from graph_api.api.graphql.paths import Path, PathNode, node_of
from graph_api.api.graphql.writes import Refusal, refused, run
from graph_api.domain import alerts, paths
from graph_api.domain.clock import today
from graph_api.domain.permissions import record_params
from graph_api.services import watch
from graph_api.store.cypher_loader import queries
from graph_api.store.rows import Map

AlertKind = closed_set(
    "AlertKind",
    "What an alert is about (a watch names the kinds it wants; none: all of them).",
    {
        "RECORD": "A watched subject got a credit record.",
        "LISTING": "A watched subject was listed.",
        "BINDING": "A watched person is bound by the listing of an entity it is responsible for.",
        "REAPPEARANCE": "A person bound by a listing in force took a role or a majority holding (to the "
        "listing department and the watchers of the person or of the listed subject).",
        "RELATED_LISTED": "An entity related to a watched one (flagged by the listing) was listed.",
        "GRADE": "A watched entity's grade changed (from the daily scan, `graph-api scan deadlines`).",
        "DEADLINE_SOON": "A deadline (publication, objection answer, task feedback, commitment) is near (to the "
        "responsible department and the watchers of the subject).",
        "DEADLINE_LAPSED": "A deadline (publication, objection answer, task feedback, commitment) lapsed (to the "
        "responsible department and the watchers of the subject).",
    },
)
AlertState = closed_set(
    "AlertState",
    "Whether an alert was acknowledged.",
    {"NEW": "Not acknowledged yet.", "ACKNOWLEDGED": "Acknowledged by a reader it is for."},
)


@strawberry.input(description="What to watch and for which kinds of alert.")
class WatchInput:
    subject: SubjectInput = strawberry.field(
        description="The entity or person to watch (a person by identity number or id: a personal read, audited)."
    )
    events: list[AlertKind] | None = strawberry.field(  # type: ignore[valid-type]
        default=None, description="The kinds of alert wanted; null or empty for all."
    )


def _subject(m: Map) -> PathNode:
    if m["kind"] == "ENTITY":
        return node_of(paths.entity_node(m))
    return node_of(paths.person_node(m))


@strawberry.type(description="A watch of the acting user: its subject and the kinds of alert it wants.")
class Watch:
    id: strawberry.ID = strawberry.field(description="The watch's id (for unwatch).")
    subject: PathNode = strawberry.field(description="The watched entity or person, as a node on a path.")
    events: list[AlertKind] = strawberry.field(  # type: ignore[valid-type]
        description="The kinds of alert wanted; empty for all."
    )
    created_at: dt.datetime = strawberry.field(description="When the watch was made.")

    @classmethod
    def from_map(cls, m: Map) -> Watch:
        return cls(
            id=strawberry.ID(m["id"]),
            subject=_subject(m["subject"]),
            events=[AlertKind(e) for e in m["events"] or []],
            created_at=m["createdAt"].to_native(),
        )


@strawberry.type(description="An alert in the reader's inbox: why, the path that explains it, and its state.")
class Alert:
    id: strawberry.ID = strawberry.field(description="The alert's id (for acknowledgeAlert).")
    seq: int = strawberry.field(description="Its place in the order alerts were committed (per database).")
    kind: AlertKind = strawberry.field(description="What it is about.")  # type: ignore[valid-type]
    reason: str = strawberry.field(description="Why it was raised, in a sentence, with the path's text.")
    subject: PathNode | None = strawberry.field(description="The subject the alert is about, as on the path.")
    path: Path = strawberry.field(description="The path that explains it, as the reader may see it.")
    cause_ids: list[str] = strawberry.field(
        description="The ids of what caused it (a record, a listing, a role); a record the reader may not see "
        "is left out."
    )
    state: AlertState = strawberry.field(description="NEW or ACKNOWLEDGED.")  # type: ignore[valid-type]
    created_at: dt.datetime = strawberry.field(description="When it was raised (its cause's transaction).")
    acknowledged_at: dt.datetime | None = strawberry.field(description="When it was acknowledged; null if not.")

    @classmethod
    def from_map(cls, m: Map, subject: str) -> Alert:
        hidden = set(m["hidden"])
        shown = alerts.shown(m["path"], hidden)
        node = alerts.subject_node(shown, subject)
        return cls(
            id=strawberry.ID(m["id"]),
            seq=m["seq"],
            kind=AlertKind(m["kind"]),
            reason=alerts.reason(m["kind"], shown, m.get("note")),
            subject=node_of(node) if node is not None else None,
            path=Path.of(shown),
            cause_ids=[c for c in m["causeIds"] if c not in hidden],
            state=AlertState(m["state"]),
            created_at=m["createdAt"].to_native(),
            acknowledged_at=m["acknowledgedAt"].to_native() if m["acknowledgedAt"] is not None else None,
        )


def _alert(m: Map) -> Alert:
    return Alert.from_map(m, m["subject"])


WatchResult = Annotated[Watch | Refusal, strawberry.union("WatchResult", description=refused("Watch"))]
AlertResult = Annotated[Alert | Refusal, strawberry.union("AlertResult", description=refused("Alert"))]


def _watch(made: watch.WatchMade) -> Watch:
    return Watch.from_map(made.watch)


@strawberry.type
class WatchMutations:
    @mutation(
        description="Watch an entity or a person for the acting user (again: the events are replaced). An "
        "unknown subject is the Refusal NOT_FOUND."
    )
    async def watch(
        self, info: Info[Context, None], input: Annotated[WatchInput, strawberry.argument(description="The watch.")]
    ) -> WatchResult:
        request = watch.WatchRequest(
            subject=subject_of(info, input.subject),
            events=tuple(e.value for e in input.events or []),  # type: ignore[attr-defined]
        )
        return await run(info, watch.watch, request, _watch)

    @mutation(description="End one of the acting user's watches.")
    async def unwatch(
        self, info: Info[Context, None], id: Annotated[strawberry.ID, strawberry.argument(description="The watch.")]
    ) -> WatchResult:
        return await run(info, watch.unwatch, str(id), Watch.from_map)

    @mutation(description="Acknowledge an alert of the reader's inbox (again: it stays acknowledged as first).")
    async def acknowledge_alert(
        self, info: Info[Context, None], id: Annotated[strawberry.ID, strawberry.argument(description="The alert.")]
    ) -> AlertResult:
        return await run(info, watch.acknowledge, str(id), _alert)


@strawberry.type
class WatchQueries:
    @field(description="The acting user's watches, newest first.")
    async def watches(self, info: Info[Context, None], first: int = 20, after: str | None = None) -> Connection[Watch]:
        w = window(first, after, queries.watches_page.name)
        rows = await info.context.read(queries.watches_page, user=info.context.actor().user, **w.params())
        return build(rows[0], w, Watch.from_map)

    @field(
        description="The reader's alert inbox, newest first: alerts to the user (its watches) and to its "
        "department (bound persons reappearing), each shown as the reader may see it."
    )
    async def alerts(
        self,
        info: Info[Context, None],
        first: int = 20,
        after: str | None = None,
        unacknowledged_only: Annotated[
            bool, strawberry.argument(description="Only the alerts not acknowledged yet.")
        ] = False,
    ) -> Connection[Alert]:
        actor = info.context.actor()
        w = window(first, after, queries.alerts_page.name)
        params: dict[str, Any] = {"user": actor.user, "department": actor.department}
        rows = await info.context.read(
            queries.alerts_page,
            unacknowledgedOnly=unacknowledged_only,
            **params,
            **w.params(),
            **record_params(actor, today()),
        )
        return build(rows[0], w, _alert)
