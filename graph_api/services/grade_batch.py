"""Grading many entities at once: pages in uscc order (one statement per page, keyset on the last
uscc, so each page starts from the index instead of skipping), graded in Python as they arrive. Used
by `graph-api grades` (pages side by side), gradeDistribution and the random inspection draw (one page
after the other, inside a request)."""

from __future__ import annotations

import datetime as dt
from collections import deque
from collections.abc import AsyncIterator, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

import neo4j

from graph_api.domain.grading import Graded, fact_params, grade_page, region_prefix
from graph_api.services.reads import Read
from graph_api.store.cypher_loader import queries
from graph_api.store.run import run_sync

PAGE_SIZE = 20_000
# Pages graded at once: the server computes each page's facts on one thread, so two cores of Neo4j need at
# least two in flight; more keep it busy while the client grades (BENCHMARKS §6).
LANES = 4


def _params(as_of: dt.date, region: str | None, after: str, limit: int, last: str | None = None) -> dict[str, Any]:
    return {
        **fact_params(as_of),
        "regionPrefix": region_prefix(region),
        "after": after,
        "last": last,
        "limit": limit,
    }


def grade_pages(
    driver: neo4j.Driver,
    database: str,
    as_of: dt.date,
    region: str | None = None,
    page_size: int = PAGE_SIZE,
    lanes: int = LANES,
) -> Iterator[list[Graded]]:
    """Pages of grades, in uscc order. The key is first cut into ranges of `page_size` entities (their
    ends read from the index alone, one short statement each), and `lanes` ranges are fetched side by
    side. The ranges partition the key (after, end], the last one open, so an entity added or removed
    while the batch runs is graded at most once and no other is skipped or graded twice; a range that
    grew meanwhile is read to its end in more pages."""

    def read(statement: Any, **params: Any) -> list[Any]:
        return run_sync(driver, statement, database_=database, routing_=neo4j.RoutingControl.READ, **params)

    def cuts() -> Iterator[tuple[str, str | None]]:
        after = ""
        while True:
            rows = read(queries.grade_page_end, after=after, skip=page_size - 1)
            last = rows[0]["uscc"] if rows else None
            yield after, last
            if last is None:
                return
            after = last

    def fetch(after: str, last: str | None) -> list[Graded]:
        graded: list[Graded] = []
        while True:
            row = read(queries.grade_facts_page, **_params(as_of, region, after, page_size, last))[0]
            graded += grade_page(row["usccs"], row["withFacts"], as_of)
            # a full page may not be the range's end (the keyset, whatever order the rows came in)
            if len(row["usccs"]) < page_size:
                return graded
            after = max(row["usccs"])

    with ThreadPoolExecutor(max_workers=max(1, lanes)) as pool:
        ranges = cuts()
        pending: deque[Future[list[Graded]]] = deque()
        for bounds in ranges:
            pending.append(pool.submit(fetch, *bounds))
            if len(pending) >= lanes:
                break
        while pending:
            page = pending.popleft().result()
            if (bounds_next := next(ranges, None)) is not None:
                pending.append(pool.submit(fetch, *bounds_next))
            if page:
                yield page


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
