"""Neo4j's plan cache filled at start: an `EXPLAIN` of every read statement the service sends, with
parameters of the types its callers send (BENCHMARKS.md §15, "Warm-up at start").

Neo4j keys a cached plan by the statement's text and the types of its parameters (a null is a type of
its own), and an `EXPLAIN` compiles and caches the plan without running it. A cold plan can take
seconds on a busy server, so the first requests after a start would pay them, and under load pass the
statement time limit. One signature per statement is warmed, the commonest: the first page (no cursor),
no optional filter, a reader who sees everything (the visibility parameters null); another signature
compiles its own plan on first use, as before.

`sample_parameters` is also what tests/test_cypher_statements.py EXPLAINs every statement with, so a
read statement with a parameter missing here fails that test."""

from __future__ import annotations

import asyncio
import logging
import re
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import neo4j

from graph_api.store.cypher_loader import queries
from graph_api.store.statement import Statement

log = logging.getLogger("graph_api.warmup")

_PARAM = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")
_WRITES = re.compile(r"\b(CREATE|MERGE|SET|DELETE|REMOVE|FOREACH)\b")
# Statements only the CLI sends (the importers), and the schema commands (`m…`), which EXPLAIN refuses.
_NOT_SENT_BY_THE_API = {"import.cypher", "bulk.cypher"}

_DAY = date(2026, 6, 30)
_USCC = "91110000MA00000000"
_HASH = "0" * 64

# One value per parameter name, of the type the callers send; None where the commonest call sends null.
SAMPLES: dict[str, Any] = {
    "activeOn": None,
    "after": None,
    "afterSeq": 0,
    "asOf": _DAY,
    "askDisclosed": True,
    "at": datetime(2026, 6, 30, tzinfo=UTC),
    "bans": ["BAN"],
    "basis": ["R-1"],
    "candidate": _USCC,
    "cap": 100,
    "categories": None,
    "centerEntity": _USCC,
    "centerPerson": None,
    "code": "D1",
    "decidedFrom": None,
    "decidedTo": None,
    "department": "D1",
    "departments": ["D1"],
    "descending": False,
    "disclosures": ["PUBLIC"],
    "dueBefore": None,
    "entities": [_USCC],
    "facts": [{"key": _USCC}],
    "fromEntity": _USCC,
    "fromPerson": None,
    "heldOn": _DAY,
    "hops": 2,
    "id": "X-1",
    "idHash": _HASH,
    "ids": ["R-1"],
    "keys": [_USCC],
    "kind": "DEPARTMENT",
    "limit": 20,
    "limitPlusOne": 21,
    "list": "SERIOUS_DISHONESTY",
    "listing": "L-1",
    "listingId": "L-1",
    "lists": None,
    "lookbackStart": _DAY,
    "maxHops": 3,
    "maxLength": 4,
    "measures": ["M1"],
    "minEntities": 2,
    "minListed": 2,
    "minRatio": None,
    "names": ["某某公司"],
    "namesInClear": True,
    "on": _DAY,
    "operation": None,
    "orderField": "uscc",
    "overdueOnly": False,
    "ownDepartment": None,
    "ownKey": None,
    "party": _USCC,
    "periodKeys": ["ADMINISTRATIVE_PENALTY|GENERAL"],
    "periodMonths": [36],
    "personHashes": [_HASH],
    "persons": [_HASH],
    "positiveStart": _DAY,
    "publishedAsOf": None,
    "query": "某某",
    "record": "R-1",
    "records": ["R-1"],
    "region": "110000",
    "regionDigits": 6,
    "regionPrefix": None,
    "roles": None,
    "rows": [{"key": "k"}],
    "scanLimit": 100,
    "seconds": 1,
    "severities": None,
    "since": _DAY,
    "sinceDay": _DAY,
    "state": None,
    "statuses": None,
    "subject": None,
    "subjectEntity": _USCC,
    "subjectPerson": None,
    "toEntity": _USCC,
    "toPerson": None,
    "today": _DAY,
    "unacknowledgedOnly": False,
    "unknownSeverity": "GENERAL",
    "uscc": _USCC,
    "usccs": [_USCC],
    "user": None,
    "withPersons": True,
}
# The look-ahead's combined statement (api/graphql/compiled.py) sends every list's page parameters, the
# default page's where a list is not asked for, so it has one signature.
for _list in ("roles", "holders", "holdings", "listings", "subHoldings", "personRoles"):
    SAMPLES |= {
        f"with{_list[0].upper()}{_list[1:]}": True,
        f"{_list}ActiveOn": None,
        f"{_list}After": None,
        f"{_list}Descending": False,
        f"{_list}Limit": 21,
        f"{_list}OrderField": "uscc",
    }
SAMPLES |= {"holdersMinRatio": None, "holdingsMinRatio": None, "rolesRoles": None, "listingsLists": None}
SAMPLES |= {"listingsStatuses": None, "subHoldingsMinRatio": None, "personRolesRoles": None}
# the certificates, the deadline scan, the industry evaluations and the draw's conflicts (issues 15, 16)
SAMPLES |= {
    "decision": "DEC-1",
    "industries": ["I1"],
    "inspectors": ["INS-1"],
    "scheme": "S-1",
    "seqs": [1],
    "until": _DAY,
    "url": "https://receiver.example.gov.cn/alerts",
    "version": None,
    "webhook": "W-1",
    "windowStart": _DAY,
}

# Where a name's type differs in one statement.
OVERRIDES: dict[str, dict[str, Any]] = {
    "changed_since": {"since": datetime(2026, 6, 30, tzinfo=UTC)},
    "grade_facts_page": {"after": "", "last": None},
    "grade_page_end": {"after": "", "skip": 19_999},
    "watches_page": {"user": "user-1"},
    "alerts_page": {"user": "user-1"},
    "alerts_feed": {"after": 0},
    "alerts_backlog": {"after": 0, "user": "user-1"},
    "screen_name_candidates": {"names": [{"key": "某某科技有限公司", "tiers": ["(+某某 +科技)", "(+某某) (+科技)"]}]},
}


def parameter_names(statement: Statement[Any]) -> list[str]:
    return sorted(set(_PARAM.findall(statement.text)))


def sample_parameters(statement: Statement[Any]) -> dict[str, Any]:
    """A value of the callers' type for each of the statement's parameters; KeyError names one missing."""
    own = OVERRIDES.get(statement.name, {})
    return {name: own[name] if name in own else SAMPLES[name] for name in parameter_names(statement)}


def is_warmed(statement: Statement[Any]) -> bool:
    """A read statement the service sends (no write clause, not a schema command, not the importers')."""
    return (
        not statement.name.startswith("m")
        and statement.source not in _NOT_SENT_BY_THE_API
        and _WRITES.search(statement.text) is None
    )


def warmed_statements() -> list[Statement[Any]]:
    return [s for s in queries.all() if is_warmed(s)]


@dataclass(frozen=True)
class Warmed:
    statements: int
    failed: int
    seconds: float


def warm_concurrency(pool_size: int) -> int:
    """How many connections the warm-up may hold at once: two, and never more than half the pool, so requests
    arriving during the warm-up always find connections; 0 (a pool of one) means no warm-up at all, since the
    one connection held by EXPLAINs for tens of seconds on a busy server would answer requests SERVICE_SATURATED."""
    return min(2, pool_size // 2)


async def warm_plans(driver: neo4j.AsyncDriver, database: str, concurrency: int = 2) -> Warmed:
    """EXPLAIN each warmed statement, `concurrency` at a time (compiling is the server's CPU, which the
    requests share). A failure is logged by statement name and the warm-up goes on: a plan it could not
    compile is compiled on first use, as without a warm-up."""
    started = time.monotonic()
    gate = asyncio.Semaphore(concurrency)
    failed = 0

    async def explain(statement: Statement[Any]) -> None:
        nonlocal failed
        async with gate:
            try:
                async with driver.session(database=database, default_access_mode=neo4j.READ_ACCESS) as session:
                    result = await session.run("EXPLAIN " + statement.text, sample_parameters(statement))
                    await result.consume()
            # KeyError: a statement with a parameter not in SAMPLES (tests/test_cypher_statements.py fails on it)
            except (neo4j.exceptions.Neo4jError, neo4j.exceptions.DriverError, OSError, KeyError) as err:
                failed += 1
                log.warning("plan not warmed", extra={"statement": statement.name, "error": type(err).__name__})

    statements = warmed_statements()
    await asyncio.gather(*(explain(s) for s in statements))
    return Warmed(len(statements), failed, time.monotonic() - started)
