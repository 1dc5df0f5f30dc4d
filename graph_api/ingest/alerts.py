"""Alerts the importer raises in the transaction of the batch that writes them: a person bound by a listing
in force who takes a role, or a majority holding, anywhere (the reappearance the listings must stop). The
facts come from `reappearance_facts`, and who is alerted from the one rule every write path calls,
`alerts_raise` (cypher/watch.cypher)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import neo4j

from graph_api.domain import alerts
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
            "REAPPEARANCE", f["person"]["idHash"], alerts.reappearance_path(dict(f)), [f["key"]], f["listing"]["id"]
        )
        for f in run_sync(tx, queries.reappearance_facts, facts=facts, asOf=day)
    ]
    if causes:
        run_sync(tx, queries.alerts_raise, causes=causes)
