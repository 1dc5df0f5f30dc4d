"""The transactional importer's reading in a pool of processes: the bulk import's blocks of whole lines
(`bulk._blocks`) go to one worker per core, each runs the importer's own `_read_line` (decoding, parsing,
line rules, fact building) on its block, and the parent takes the results back in file order. The
counts, the rejects file and the facts are therefore those of one process reading the file.

Each worker also asks the graph, once per block, which of the block's facts it already holds with the
same content, and hands the parent only the key, hash and line offset of those (a light item): on a
re-delivery most lines are such, and moving whole facts between processes was a third of the parent's
time (BENCHMARKS.md §16). The parent counts such an item unchanged as of its worker's read, unless this
import wrote the key earlier (`WrittenKeys`): then its write transaction confirms it as it confirms every
fact, and reads the line again if it changed after all (BENCHMARKS.md §24)."""

from __future__ import annotations

import datetime as dt
import io
import multiprocessing
import pickle
import threading
from collections import Counter, deque
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any

import neo4j

from graph_api.domain.catalogue import list_defaults
from graph_api.ingest.bulk import BLOCK_BYTES, _blocks
from graph_api.ingest.facts import Fact, FactBuilder
from graph_api.ingest.pipeline import _FINDS, _UNCHANGED, LEVELS, Importer, ImportReport, Reader, _Item, light_row
from graph_api.store.pii import IdProtector
from graph_api.store.run import run_sync

# per kind (lines read, rejected), the rendered rejects, the pickled level-1 items, the later levels'
# items pickled as one list per level (written to its spool files unread), the block's bytes
_Result = tuple[dict[str, tuple[int, int]], str, bytes, dict[int, bytes], int]


class _BlockReader(Importer):
    """`Importer._read_line` over one block of lines, and one read of the graph per block; no writer thread."""

    def __init__(self, protector: IdProtector, today: dt.date, driver: neo4j.Driver | None, database: str):
        self._builder = FactBuilder(protector, list_defaults())
        self._today = today
        self._lock = threading.Lock()
        self._graph = driver
        self._database = database

    def block(self, source: str, first_line: int, offset: int, data: bytes) -> _Result:
        self.report = ImportReport()
        self._rejects = io.StringIO()
        items = []
        for line_no, line in enumerate(io.BytesIO(data), start=first_line):
            item = self._read_line(source, line_no, line, offset)
            offset += len(line)
            if item is not None:
                items.append(item)
        unchanged = self._unchanged(items) if self._graph is not None else set()
        level1 = []
        later: dict[int, list[tuple[Any, ...]]] = {2: [], 3: []}
        for item in items:
            fact = item.fact
            if (fact.kind, fact.key, fact.row["hash"]) in unchanged:
                item = _Item(Fact(fact.kind, fact.key, light_row(fact), fact.refs), *_where(item), True)
            level = LEVELS[fact.kind]
            if level == 1:
                level1.append(item.to_spool())
            else:
                later[level].append(item.to_spool())
        counts = {kind: (c.read, c.rejected) for kind, c in self.report.counts.items()}
        # one pickle per block and level: unpickling item by item was a tenth of the bulk import's time
        spooled = {level: pickle.dumps(t, protocol=pickle.HIGHEST_PROTOCOL) for level, t in later.items() if t}
        first = pickle.dumps(level1, protocol=pickle.HIGHEST_PROTOCOL)
        return counts, self._rejects.getvalue(), first, spooled, len(data)

    def _unchanged(self, items: list[_Item]) -> set[tuple[str, str, str]]:
        """(kind, key, hash) of the facts the graph holds with that content, in one read transaction.
        Listings are left to the writer: whether one stands depends on records this import may change."""
        rows: dict[str, list[dict[str, Any]]] = {}
        for item in items:
            f = item.fact
            if f.kind != "listing":
                fields = _FINDS.get(f.kind, ())
                rows.setdefault(f.kind, []).append(
                    {"key": f.key, "hash": f.row["hash"], **{n: f.row[n] for n in fields}}
                )

        def read(tx: neo4j.ManagedTransaction) -> set[tuple[str, str, str]]:
            found: set[tuple[str, str, str]] = set()
            for kind, kind_rows in rows.items():
                keys = set(run_sync(tx, _UNCHANGED[kind], rows=kind_rows)[0]["keys"])
                # the statement answers by key: a key twice in the block is left to the writer, since
                # only one of its contents (if any) is the one stored
                seen = Counter(r["key"] for r in kind_rows)
                found.update((kind, r["key"], r["hash"]) for r in kind_rows if r["key"] in keys and seen[r["key"]] == 1)
            return found

        assert self._graph is not None
        with self._graph.session(database=self._database, default_access_mode=neo4j.READ_ACCESS) as session:
            return session.execute_read(read)


def _where(item: _Item) -> tuple[str, int, tuple[int, int]]:
    return item.source, item.line_no, item.at


_reader: _BlockReader | None = None


def _start(
    protector: IdProtector, today: dt.date, open_driver: Callable[[], neo4j.Driver] | None, database: str
) -> None:
    global _reader
    # a driver of its own: the parent's connections must not be shared across fork
    _reader = _BlockReader(protector, today, open_driver() if open_driver else None, database)


def _read_block(task: tuple[str, int, int, bytes]) -> _Result:
    assert _reader is not None  # set by _start in this process
    return _reader.block(*task)


def read_in_parallel(
    importer: Importer,
    path: Path,
    spools: dict[int, IO[bytes]],
    protector: IdProtector,
    today: dt.date,
    workers: int,
    progress: Callable[[str, int], None],
    block_bytes: int = BLOCK_BYTES,
    open_driver: Callable[[], neo4j.Driver] | None = None,
    database: str = "neo4j",
) -> Iterator[_Item]:
    """The level-1 items of `path` in file order; the later levels go to `spools`, and the counts and
    rejects into `importer`, as its own first pass would. With `open_driver`, each worker opens a driver
    to find its blocks' unchanged facts."""
    # fork: the workers inherit the protector's key (and the driver factory) instead of receiving them pickled
    with multiprocessing.get_context("fork").Pool(workers, _start, (protector, today, open_driver, database)) as pool:
        pending: deque[Any] = deque()

        def taken() -> Iterator[_Item]:
            counts, rejects, items, later, size = pending.popleft().get()
            with importer._lock:
                for kind, (read, rejected) in counts.items():
                    c = importer.report.counts[kind]
                    c.read += read
                    c.rejected += rejected
                importer._rejects.write(rejects)
            for level, blob in later.items():
                spools[level].write(blob)
            progress("read", size)
            for t in pickle.loads(items):
                yield _Item.from_spool(t)

        for block in _blocks([path], block_bytes):
            pending.append(pool.apply_async(_read_block, (block,)))
            if len(pending) >= 2 * workers:  # at most two blocks per worker in flight: memory stays flat
                yield from taken()
        while pending:
            yield from taken()


def parallel_reader(
    protector: IdProtector,
    today: dt.date,
    workers: int,
    block_bytes: int = BLOCK_BYTES,
    open_driver: Callable[[], neo4j.Driver] | None = None,
    database: str = "neo4j",
) -> Reader:
    """A `Reader` for `Importer(reader=...)` that reads with `workers` processes; with `open_driver`, they
    also tell the parent which facts the graph already holds (the parent confirms those whose key it wrote)."""

    def read(importer: Importer, path: Path, spools: dict[int, IO[bytes]]) -> Iterator[_Item]:
        return read_in_parallel(
            importer, path, spools, protector, today, workers, importer._progress, block_bytes, open_driver, database
        )

    return read
