"""Raising alerts from a write service, in its transaction: the causes of a record made and of a listing
(its subject, the persons it binds, the entities it flags) with their paths. Who is alerted of a cause is
decided by the one statement `alerts_raise` (cypher/watch.cypher), which the importer calls too; a write
that rolls back takes its alerts with it. Call it last in the work: it locks the alert sequence, which
every alert-raising transaction takes after all its other locks."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from graph_api.domain import alerts, linkage
from graph_api.domain.paths import ENTITY, PERSON, Node, listing_path, person_key
from graph_api.services.unit_of_work import Tx
from graph_api.store.cypher_loader import queries


async def raise_alerts(tx: Tx, causes: Sequence[dict[str, Any]]) -> None:
    if causes:
        await tx.run(queries.alerts_raise, causes=list(causes))


def _subject_node(subject: Mapping[str, Any]) -> Node:
    if subject.get("uscc"):
        return Node(kind=ENTITY, key=subject["uscc"], name=subject["name"])
    return Node(kind=PERSON, key=person_key(subject["idHash"]), name=subject["name"])


async def record_made(tx: Tx, subject: Mapping[str, Any], record: Mapping[str, Any]) -> None:
    """A record about `subject` (uscc or idHash, name) was made."""
    key = subject.get("uscc") or subject["idHash"]
    path = alerts.record_path(_subject_node(subject), dict(record))
    await raise_alerts(tx, [alerts.cause("RECORD", key, path, [record["id"]])])


async def listed(tx: Tx, subject: Mapping[str, Any], impact_row: Mapping[str, Any], impact: linkage.Impact) -> None:
    """A listing was made: its subject (uscc or idHash, name) listed, the persons it binds, the entities it
    flags (each related to the listed one)."""
    listing_id = impact.listing["id"]
    key = subject.get("uscc") or subject["idHash"]
    path = listing_path(None, _subject_node(subject), impact.listing, impact_row["basis"])
    causes = [alerts.cause("LISTING", key, path, [listing_id])]
    # one alert per person and entity: the first path explains it (a person bound through two roles, an
    # entity flagged for two reasons)
    bound: dict[str, linkage.Responsible] = {}
    for r in impact.bound_persons:
        bound.setdefault(r.person["idHash"], r)
    for id_hash, r in bound.items():
        causes.append(alerts.cause("BINDING", id_hash, r.path, [listing_id]))
    for entity, flags in impact.related():
        causes.append(alerts.cause("RELATED_LISTED", entity["uscc"], flags[0].path, [listing_id]))
    await raise_alerts(tx, causes)
