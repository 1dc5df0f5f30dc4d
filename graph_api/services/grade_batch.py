"""Grading many entities at once: pages in uscc order (one statement per page, keyset on the last
uscc, so each page starts from the index instead of skipping), graded in Python as they arrive. Used
by `graph-api grades`, gradeDistribution and the random inspection draw."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

import neo4j

from graph_api.domain.grading import Graded, fact_params, grade_page, region_prefix
from graph_api.services.reads import Read
from graph_api.store.cypher_loader import queries
from graph_api.store.rows import EntityFacts
from graph_api.store.run import run_sync

PAGE_SIZE = 20_000


def _params(as_of: dt.date, region: str | None, after: str, limit: int) -> dict[str, Any]:
    return {**fact_params(as_of), "regionPrefix": region_prefix(region), "after": after, "limit": limit}


def grade_pages(
    driver: neo4j.Driver, database: str, as_of: dt.date, region: str | None = None, page_size: int = PAGE_SIZE
) -> Iterator[list[Graded]]:
    """Pages of grades. The next page is fetched on a second thread while this one is graded, so
    that the server's work and the client's overlap (the next keyset is known as soon as a page
    arrives)."""

    def fetch(after: str) -> tuple[list[str], list[EntityFacts]]:
        row = run_sync(
            driver,
            queries.grade_facts_page,
            database_=database,
            routing_=neo4j.RoutingControl.READ,
            **_params(as_of, region, after, page_size),
        )[0]
        return row["usccs"], row["withFacts"]

    with ThreadPoolExecutor(max_workers=1) as pool:
        pending: Future[tuple[list[str], list[EntityFacts]]] | None = pool.submit(fetch, "")
        while pending is not None:
            usccs, with_facts = pending.result()
            if not usccs:
                return
            # the keyset, whatever order the rows came in; a short page is the last
            pending = pool.submit(fetch, max(usccs)) if len(usccs) == page_size else None
            yield grade_page(usccs, with_facts, as_of)


async def grade_pages_async(
    read: Read, as_of: dt.date, region: str | None = None, page_size: int = PAGE_SIZE
) -> AsyncIterator[list[Graded]]:
    after = ""
    while True:
        row = (await read(queries.grade_facts_page, **_params(as_of, region, after, page_size)))[0]
        if not row["usccs"]:
            return
        yield grade_page(row["usccs"], row["withFacts"], as_of)
        after = max(row["usccs"])  # the keyset, whatever order the rows came in
        if len(row["usccs"]) < page_size:
            return
