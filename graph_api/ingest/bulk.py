"""The bulk import's validation: every line goes through the transactional importer's own reading,
line rules and fact building (`Importer._read_line`), and the same cross-line checks (`checks.py`) run
against what the accepted lines so far hold instead of the graph, in the importer's order — all
departments, entities and persons first, then roles, holdings, branches, records and commitments in
file order, then listings — so the same lines are rejected with the same codes and messages, and the
same facts survive. The accepted facts go to CSV files for `neo4j-admin database import full`.

The per-line work (reading, line rules, fact building, rendering the CSV rows) runs in a pool of
processes, one per core, over blocks of lines; the parent takes their results in file order, so the
cross-line checks, the rejects file and the sequence numbers are those of a single process.

Memory grows with the number of distinct keys (about 100 bytes each: 8-byte digests of the key and
of the content), not with the file; the later levels are spooled to disk as the importer does."""

from __future__ import annotations

import datetime as dt
import gc
import hashlib
import io
import multiprocessing
import os
import pickle
import tempfile
import threading
from collections import defaultdict, deque
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import IO, Any

from graph_api.domain.catalogue import catalogue, list_defaults
from graph_api.domain.holdings import Stake
from graph_api.ingest.bulk_csv import CsvWriter, Rendered, RowRenderer
from graph_api.ingest.checks import BasisFacts, Known, holding_problems_against, problems_against
from graph_api.ingest.facts import Fact, FactBuilder, Refs
from graph_api.ingest.interchange import Rejection
from graph_api.ingest.pipeline import LEVELS, Importer, ImportReport, line_at
from graph_api.store.pii import IdProtector

BLOCK_BYTES = 1 << 20  # lines handed to a worker at once: large enough that passing them costs little

# What a worker hands back for a block, in the block's line order: per kind (lines read, rejected),
# the rendered rejects, the level-1 candidates, and the pickled later-level candidates (spooled as is).
_Result = tuple[dict[str, tuple[int, int]], str, list[tuple[Any, ...]], bytes, bytes]


class _Candidate:
    """A valid line's fact, waiting for the cross-line checks; its CSV rows are already rendered. The
    row holds only what the checks read, and the line itself is read again only if it is rejected."""

    __slots__ = ("at", "content", "digest", "fact", "line_no", "multiline", "rows", "source")

    def __init__(self, t: tuple[Any, ...]):
        self.fact = Fact(t[0], t[1], t[2], Refs(t[3], t[4], t[5], t[6], t[7]))
        self.source, self.line_no, self.at = t[8], t[9], t[10]
        self.digest, self.content, self.rows, self.multiline = t[11], t[12], t[13], t[14]


def _checked_row(kind: str, row: dict[str, Any]) -> dict[str, Any]:
    """What checks.py and the record index read of a row (listings, holdings, records); the rest is rendered."""
    if kind == "holding":
        return {"entity": row["entity"], "holder": row["holder"], "since": row["since"], "props": row["props"]}
    if kind == "listing":
        return {"basis": row["basis"], "list": row["list"], "subject": row["subject"], "since": row["since"]}
    if kind == "record":
        props = row["props"]
        return {"subject": row["subject"], "props": {"polarity": props["polarity"], "decidedOn": props["decidedOn"]}}
    return {}


class _Worker(Importer):
    """The importer's per-line work (reading, line rules, fact building) plus the CSV rendering, for one
    block of lines at a time; no driver and no writer thread."""

    def __init__(self, protector: IdProtector, today: dt.date, recorded_at: str):
        self._builder = FactBuilder(protector, list_defaults())
        self._today = today
        self._progress = lambda phase, n: None
        self._lock = threading.Lock()
        self._renderer = RowRenderer(recorded_at)

    def block(self, source: str, first_line: int, offset: int, data: bytes) -> _Result:
        self.report = ImportReport()
        self._rejects = io.StringIO()
        level1: list[tuple[Any, ...]] = []
        later: dict[int, list[tuple[Any, ...]]] = {2: [], 3: []}
        for line_no, line in enumerate(io.BytesIO(data), start=first_line):
            at = offset
            offset += len(line)
            item = self._read_line(source, line_no, line, at)
            if item is None:
                continue
            fact = item.fact
            rows, multiline = self._renderer.render(fact)
            digest = int.from_bytes(hashlib.blake2b(f"{fact.kind}|{fact.key}".encode(), digest_size=8).digest())
            content = int(fact.row["hash"][:16], 16)
            level = LEVELS[fact.kind]
            if level == 1:  # nothing checks them: only what accepting needs crosses over
                level1.append((fact.kind, fact.key, digest, content, rows, multiline))
                continue
            r = fact.refs
            later[level].append(
                (
                    *(fact.kind, fact.key, _checked_row(fact.kind, fact.row)),
                    *(r.entities, r.persons, r.departments, r.records, r.measures),
                    *(source, line_no, (at, len(line)), digest, content, rows, multiline),
                )
            )
        counts = {kind: (c.read, c.rejected) for kind, c in self.report.counts.items()}
        spooled = [pickle.dumps(later[n], protocol=pickle.HIGHEST_PROTOCOL) if later[n] else b"" for n in (2, 3)]
        return counts, self._rejects.getvalue(), level1, spooled[0], spooled[1]


_worker: _Worker | None = None


def _start_worker(protector: IdProtector, today: dt.date, recorded_at: str) -> None:
    global _worker
    _worker = _Worker(protector, today, recorded_at)


def _validate_block(task: tuple[str, int, int, bytes]) -> _Result:
    assert _worker is not None  # set by _start_worker in this process
    return _worker.block(*task)


class _Reader(Importer):
    """The importer's rejects file, without its database writer."""

    def __init__(self, rejects: IO[str]):
        self._rejects = rejects
        self.report = ImportReport()
        self._lock = threading.Lock()


class BulkValidator:
    def __init__(
        self,
        protector: IdProtector,
        rejects: IO[str],
        today: dt.date | None = None,
        workers: int | None = None,
        block_bytes: int = BLOCK_BYTES,
    ):
        self._protector = protector
        self._today = today or dt.date.today()
        self._workers = workers or _cores()
        self._block_bytes = block_bytes
        self._reader = _Reader(rejects)
        self.report = self._reader.report
        self._departments: set[str] = set()
        self._entities: set[str] = set()
        self._persons: set[str] = set()
        self._records: dict[str, BasisFacts] = {}
        measures = {m["code"] for m in catalogue()["measures"]}
        self._known = Known(self._entities, self._persons, self._departments, measures, self._records)
        self._stakes: dict[str, list[Stake]] = defaultdict(list)
        self._state: dict[int, int] = {}  # key digest -> content digest << 32 | sequence number
        self._superseded: set[int] = set()
        self._seq = 0

    def run(self, paths: list[Path], outdir: Path, recorded_at: dt.datetime | None = None) -> CsvWriter:
        """Validates `paths` into CSV files under `outdir`; the rejects go to the rejects file."""
        out = CsvWriter(outdir, sorted(self._known.measures), recorded_at or dt.datetime.now(dt.UTC))
        # Millions of long-lived objects (keys, records, stakes, candidates) and no cycles to speak of:
        # the default thresholds made the collector walk them all again and again (a fifth of the time).
        thresholds = gc.get_threshold()
        gc.set_threshold(100_000, 50, 100)
        try:
            with tempfile.TemporaryDirectory(prefix="graph-api-bulk-") as tmp, ExitStack() as stack:
                spools: dict[int, IO[bytes]] = {
                    level: stack.enter_context(open(Path(tmp) / f"level{level}.pickle", "w+b")) for level in (2, 3)
                }
                for result in self._validated(paths, out.recorded_at, stack):
                    self._take(result, spools, out)
                for level in (2, 3):
                    spools[level].seek(0)
                    for chunk in _unspool_chunks(spools[level]):
                        self._check(chunk, out)
        finally:
            gc.set_threshold(*thresholds)
            out.close(self._superseded)
        return out

    def _validated(self, paths: list[Path], recorded_at: str, stack: ExitStack) -> Iterator[_Result]:
        """The workers' results in file order; at most two blocks per worker in flight, so memory stays flat."""
        blocks = _blocks(paths, self._block_bytes)
        args = (self._protector, self._today, recorded_at)
        if self._workers == 1:
            _start_worker(*args)
            yield from map(_validate_block, blocks)
            return
        # fork: the workers inherit the protector's key instead of receiving it pickled
        pool = stack.enter_context(multiprocessing.get_context("fork").Pool(self._workers, _start_worker, args))
        pending: deque[Any] = deque()
        for block in blocks:
            pending.append(pool.apply_async(_validate_block, (block,)))
            if len(pending) >= 2 * self._workers:
                yield pending.popleft().get()
        while pending:
            yield pending.popleft().get()

    def _take(self, result: _Result, spools: dict[int, IO[bytes]], out: CsvWriter) -> None:
        counts, rejects, level1, later2, later3 = result
        for kind, (read, rejected) in counts.items():
            c = self.report.counts[kind]
            c.read += read
            c.rejected += rejected
        self._reader._rejects.write(rejects)
        for kind, key, digest, content, rows, multiline in level1:
            self._accept(kind, key, digest, content, rows, multiline, None, out)
        for level, blob in ((2, later2), (3, later3)):
            spools[level].write(blob)

    def _check(self, chunk: list[_Candidate], out: CsvWriter) -> None:
        by_kind: dict[str, list[_Candidate]] = defaultdict(list)
        for item in chunk:
            by_kind[item.fact.kind].append(item)
        problems: dict[int, Rejection] = {}
        for kind, items in by_kind.items():
            problems.update(problems_against(self._known, kind, items))
            if kind == "holding":
                good = [i for i in items if id(i) not in problems]
                problems.update(holding_problems_against(self._stakes, good))
        for item in chunk:  # kinds do not depend on each other within a level: order kept per kind
            if (rejection := problems.get(id(item))) is not None:
                self._reader._reject(item.source, item.line_no, line_at(item.source, *item.at), rejection)
            else:
                f = item.fact
                self._accept(f.kind, f.key, item.digest, item.content, item.rows, item.multiline, f.row, out)

    def _accept(
        self,
        kind: str,
        key: str,
        digest: int,
        content: int,
        rows: Rendered,
        multiline: bool,
        row: dict[str, Any] | None,
        out: CsvWriter,
    ) -> None:
        self._seq += 1
        counts = self.report.counts[kind]
        before = self._state.get(digest)
        if before is not None and before >> 32 == content:
            counts.unchanged += 1
            return
        if before is None:
            counts.created += 1
        else:
            counts.updated += 1
            self._superseded.add(before & 0xFFFFFFFF)
        self._state[digest] = content << 32 | self._seq
        out.write_rendered(rows, multiline, self._seq)
        if kind == "department":
            self._departments.add(key)
        elif kind == "entity":
            self._entities.add(key)
        elif kind == "person":
            self._persons.add(key)
        elif kind == "record":
            assert row is not None  # records are checked, so their row came along
            props = row["props"]
            self._records[key] = BasisFacts(row["subject"], props["polarity"], props["decidedOn"])


def _cores() -> int:
    """The cores this process may run on (a container's CPU set, not the host's count)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def _blocks(paths: list[Path], size: int) -> Iterator[tuple[str, int, int, bytes]]:
    """The files in blocks of whole lines, each with the number and the offset of its first line."""
    for path in paths:
        line_no = offset = 0
        with open(path, "rb") as f:
            while block := f.read(size):
                block += f.readline()
                yield str(path), line_no + 1, offset, block
                line_no += block.count(b"\n")
                offset += len(block)


def _unspool_chunks(f: IO[bytes]) -> Iterator[list[_Candidate]]:
    while True:
        try:
            yield [_Candidate(t) for t in pickle.load(f)]
        except EOFError:
            return
