"""The transactional importer's reading in a pool of processes: the bulk import's blocks of whole lines
(`bulk._blocks`) go to one worker per core, each runs the importer's own `_read_line` (decoding, parsing,
line rules, fact building) on its block, and the parent takes the results back in file order. The
counts, the rejects file and the facts are therefore those of one process reading the file."""

from __future__ import annotations

import datetime as dt
import io
import multiprocessing
import pickle
import threading
from collections import deque
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any

from graph_api.domain.catalogue import list_defaults
from graph_api.ingest.bulk import BLOCK_BYTES, _blocks
from graph_api.ingest.facts import FactBuilder
from graph_api.ingest.pipeline import LEVELS, Importer, ImportReport, Reader, _Item
from graph_api.store.pii import IdProtector

# per kind (lines read, rejected), the rendered rejects, the pickled level-1 items, the later levels'
# items pickled as one list per level (written to its spool files unread), the block's bytes
_Result = tuple[dict[str, tuple[int, int]], str, bytes, dict[int, bytes], int]


class _BlockReader(Importer):
    """`Importer._read_line` over one block of lines; no driver and no writer thread."""

    def __init__(self, protector: IdProtector, today: dt.date):
        self._builder = FactBuilder(protector, list_defaults())
        self._today = today
        self._lock = threading.Lock()

    def block(self, source: str, first_line: int, data: bytes) -> _Result:
        self.report = ImportReport()
        self._rejects = io.StringIO()
        level1 = []
        later: dict[int, list[tuple[Any, ...]]] = {2: [], 3: []}
        for line_no, line in enumerate(io.BytesIO(data), start=first_line):
            item = self._read_line(source, line_no, line)
            if item is None:
                continue
            level = LEVELS[item.fact.kind]
            if level == 1:
                level1.append(item.to_spool())
            else:
                later[level].append(item.to_spool())
        counts = {kind: (c.read, c.rejected) for kind, c in self.report.counts.items()}
        # one pickle per block and level: unpickling item by item was a tenth of the bulk import's time
        spooled = {level: pickle.dumps(t, protocol=pickle.HIGHEST_PROTOCOL) for level, t in later.items() if t}
        first = pickle.dumps(level1, protocol=pickle.HIGHEST_PROTOCOL)
        return counts, self._rejects.getvalue(), first, spooled, len(data)


_reader: _BlockReader | None = None


def _start(protector: IdProtector, today: dt.date) -> None:
    global _reader
    _reader = _BlockReader(protector, today)


def _read_block(task: tuple[str, int, int, bytes]) -> _Result:
    assert _reader is not None  # set by _start in this process
    source, first_line, _offset, data = task
    return _reader.block(source, first_line, data)


def read_in_parallel(
    importer: Importer,
    path: Path,
    spools: dict[int, IO[bytes]],
    protector: IdProtector,
    today: dt.date,
    workers: int,
    progress: Callable[[str, int], None],
    block_bytes: int = BLOCK_BYTES,
) -> Iterator[_Item]:
    """The level-1 items of `path` in file order; the later levels go to `spools`, and the counts and
    rejects into `importer`, as its own first pass would."""
    # fork: the workers inherit the protector's key instead of receiving it pickled
    with multiprocessing.get_context("fork").Pool(workers, _start, (protector, today)) as pool:
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


def parallel_reader(protector: IdProtector, today: dt.date, workers: int, block_bytes: int = BLOCK_BYTES) -> Reader:
    """A `Reader` for `Importer(reader=...)` that reads with `workers` processes."""

    def read(importer: Importer, path: Path, spools: dict[int, IO[bytes]]) -> Iterator[_Item]:
        return read_in_parallel(importer, path, spools, protector, today, workers, importer._progress, block_bytes)

    return read
