"""Alerts the importer raises in the transaction of the batch that writes them: a person bound by a listing
in force who takes a role, or a majority holding, anywhere, or founds a firm (its role or holding from the
firm's establishment: the reappearance the listings must stop). The
facts come from `reappearance_facts`, and who is alerted from the one rule every write path calls,
`alerts_raise` (cypher/watch.cypher)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import neo4j

from graph_api.domain import alerts
from graph_api.domain.paths import listing_path
from graph_api.store.cypher_loader import queries
from graph_api.store.run import run_sync


def _facts(kind: str, rows: Sequence[dict[str, Any]], day: dt.date) -> list[dict[str, Any]]:
    out = []
    for r in rows:
        until = r["props"].get("until")
        if until is not None and until <= day:
            continue  # a role or holding already over takes nothing
        if kind == "role":
            out.append(
                {
                    "key": f"{r['person']}|{r['entity']}|{r['role']}|{r['since']}",
                    "person": r["person"],
                    "entity": r["entity"],
                    "relation": r["role"],
                    "since": r["since"],
                    "ratio": None,
                }
            )
        elif kind == "holding" and r["holderPerson"] and r["props"]["ratio"] > alerts.MAJORITY:
            out.append(
                {
                    "key": f"{r['holderPerson']}|{r['entity']}|{r['since']}",
                    "person": r["holderPerson"],
                    "entity": r["entity"],
                    "relation": "HOLDS",
                    "since": r["since"],
                    "ratio": r["props"]["ratio"],
                }
            )
    return out


def raise_reappearances(tx: neo4j.ManagedTransaction, kind: str, rows: Sequence[dict[str, Any]], day: dt.date) -> None:
    """Alerts for the roles or holdings (`kind`) of a batch just written, as of `day`."""
    facts = _facts(kind, rows, day) if kind in ("role", "holding") else []
    if not facts:
        return
    causes = [
        alerts.cause(
            "REAPPEARANCE",
            f["person"]["idHash"],
            alerts.reappearance_path(dict(f)),
            [f["key"]],
            f["listing"]["id"],
            note=alerts.ESTABLISHED if alerts.established(dict(f)) else None,
        )
        for f in run_sync(tx, queries.reappearance_facts, facts=facts, asOf=day)
    ]
    if causes:
        run_sync(tx, queries.alerts_raise, causes=causes)


_NEW = {"record": queries.import_new_records, "listing": queries.import_new_listings}


def new_keys(tx: neo4j.ManagedTransaction, kind: str, rows: Sequence[dict[str, Any]]) -> list[str]:
    """Of a batch about to be written, the records or listings not yet in the graph (run before the write)."""
    if kind not in _NEW or not rows:
        return []
    return list(run_sync(tx, _NEW[kind], keys=[r["key"] for r in rows])[0]["keys"])


def raise_imported(tx: neo4j.ManagedTransaction, kind: str, keys: Sequence[str]) -> None:
    """RECORD and LISTING alerts for the records or listings (`keys`) a batch just made, as a mutation
    raises them. The importer decides no bindings or flags (the listing service does), so an imported
    listing raises no BINDING or RELATED_LISTED alert."""
    if not keys:
        return
    causes = []
    if kind == "record":
        for r in run_sync(tx, queries.imported_records, keys=list(keys)):
            subject = dict(r["subject"])
            path = alerts.record_path(alerts.party_node(subject), dict(r["record"]))
            causes.append(alerts.cause("RECORD", subject.get("uscc") or subject["idHash"], path, [r["record"]["id"]]))
    elif kind == "listing":
        for lr in run_sync(tx, queries.imported_listings, keys=list(keys)):
            subject = dict(lr["subject"])
            path = listing_path(None, alerts.party_node(subject), lr["listing"], lr["basis"])
            causes.append(
                alerts.cause("LISTING", subject.get("uscc") or subject["idHash"], path, [lr["listing"]["id"]])
            )
    if causes:
        run_sync(tx, queries.alerts_raise, causes=causes)
