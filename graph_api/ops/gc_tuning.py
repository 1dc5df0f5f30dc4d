"""Python's cyclic garbage collector in a server (BENCHMARKS.md §23, "The collector").

A request allocates thousands of short-lived objects (graphql-core's and strawberry's per-field state, the
driver's records), so collections are frequent, and every older-generation collection walked again everything
alive since the start: the schema, the modules, the Cypher catalogue, pydantic's validators. Those never die.
Frozen once the service has started (moved to a generation the collector never walks), they cost no
collection anything: on question (a) of the peer bench at 8 connections p99 fell from 174 ms to about 40 and
throughput rose by about 1.6x. The thresholds stay a setting; raising them was measured and not kept.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def tuned_gc(thresholds: tuple[int, int, int]) -> Iterator[None]:
    """While the service runs: what is alive now frozen, the thresholds set; both undone on leaving (a test
    process that starts the app in-process gets its own collector back)."""
    before = gc.get_threshold()
    gc.collect()  # garbage of the start is not frozen with the rest
    gc.freeze()
    gc.set_threshold(*thresholds)
    try:
        yield
    finally:
        gc.set_threshold(*before)
        gc.unfreeze()
