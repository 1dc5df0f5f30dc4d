"""The streaming importer of the interchange format.

Lines may come in any order, so facts are written in three levels: departments, entities and persons
first; then what refers to them (roles, holdings, branches, records, commitments); then listings,
which rest on records. The first pass reads the files once, writes level-1 facts and spools the
validated later levels to temporary files, so memory stays flat whatever the file size. Each batch
is one transaction that checks its references and writes its good rows; a bad line goes to the
rejects file with its reason and never stops the good ones."""

from __future__ import annotations

import datetime as dt
import json
import pickle
import queue
import tempfile
import threading
import zlib
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import neo4j

from graph_api.domain.catalogue import list_defaults
from graph_api.ingest.alerts import new_keys, raise_imported, raise_reappearances
from graph_api.ingest.checks import holding_problems, reference_problems
from graph_api.ingest.facts import Fact, FactBuilder, Refs
from graph_api.ingest.interchange import KINDS, Rejection, check_line_rules, parse_line
from graph_api.ingest.written_keys import WrittenKeys
from graph_api.store.cypher_loader import queries
from graph_api.store.pii import IdProtector
from graph_api.store.rows import ImportOutcomeRow, ImportStoredRow, ImportUnchangedRow
from graph_api.store.run import run_sync
from graph_api.store.statement import Statement

LEVELS = {
    "department": 1,
    "entity": 1,
    "person": 1,
    "role": 2,
    "holding": 2,
    "branch": 2,
    "record": 2,
    "commitment": 2,
    "listing": 3,
}
_STATEMENTS: dict[str, Statement[ImportOutcomeRow]] = {
    "department": queries.import_departments,
    "entity": queries.import_entities,
    "person": queries.import_persons,
    "role": queries.import_roles,
    "holding": queries.import_holdings,
    "branch": queries.import_branches,
    "record": queries.import_records,
    "listing": queries.import_listings,
    "commitment": queries.import_commitments,
}
_UNCHANGED: dict[str, Statement[ImportUnchangedRow]] = {
    "department": queries.import_unchanged_departments,
    "entity": queries.import_unchanged_entities,
    "person": queries.import_unchanged_persons,
    "role": queries.import_unchanged_roles,
    "holding": queries.import_unchanged_holdings,
    "branch": queries.import_unchanged_branches,
    "record": queries.import_unchanged_records,
    "listing": queries.import_unchanged_listings,
    "commitment": queries.import_unchanged_commitments,
}
# The kinds a unique constraint keys: the write transaction's check also tells which keys are absent, and
# those are written with CREATE (listings are not: their basis and measures make the MERGE path the simpler).
_STORED: dict[str, Statement[ImportStoredRow]] = {
    "department": queries.import_stored_departments,
    "entity": queries.import_stored_entities,
    "person": queries.import_stored_persons,
    "record": queries.import_stored_records,
    "commitment": queries.import_stored_commitments,
}
_CREATE: dict[str, Statement[ImportOutcomeRow]] = {
    "department": queries.import_create_departments,
    "entity": queries.import_create_entities,
    "person": queries.import_create_persons,
    "record": queries.import_create_records,
    "commitment": queries.import_create_commitments,
}
# what finds a relationship's ends, besides its key and hash
_FINDS = {"role": ("person", "entity", "role", "since"), "holding": ("holder", "entity", "since")}
MAX_LINE_BYTES = 64 * 1024


@dataclass
class KindCounts:
    read: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0


@dataclass
class ImportReport:
    counts: dict[str, KindCounts] = field(default_factory=lambda: defaultdict(KindCounts))

    @property
    def total_rejected(self) -> int:
        return sum(c.rejected for c in self.counts.values())


class ImportInterrupted(RuntimeError):
    """The database failed mid-import. Every batch committed before stays; running the same import
    again resumes, because facts already stored count as unchanged."""

    def __init__(self, report: ImportReport, cause: Exception):
        super().__init__(str(cause))
        self.report = report
        self.cause = cause


@dataclass(slots=True)
class _Item:
    """A line's fact and where the line is: (offset, length) in `source`, read again only for a reject,
    so the line's text does not travel with the fact between processes. A `light` item is one a
    validating process found unchanged in the graph: its row holds only the key's hash and what finds
    a relationship (`light_row`). It is counted unchanged without a write unless this import wrote its
    key earlier; then the write transaction confirms it, and the writer reads the line again if it
    changed after all (the key changed and changed back in one import)."""

    fact: Fact
    source: str
    line_no: int
    at: tuple[int, int]
    light: bool = False

    def to_spool(self) -> tuple[Any, ...]:
        f, r = self.fact, self.fact.refs
        if self.light:  # six fields: what from_spool tells a light item by
            return (f.kind, f.key, f.row, self.source, self.line_no, self.at)
        return (
            f.kind,
            f.key,
            f.row,
            r.entities,
            r.persons,
            r.departments,
            r.records,
            r.measures,
            self.source,
            self.line_no,
            self.at,
        )

    @classmethod
    def from_spool(cls, t: tuple[Any, ...]) -> _Item:
        if len(t) == 6:
            return cls(Fact(t[0], t[1], t[2], _NO_REFS), t[3], t[4], t[5], True)
        return cls(Fact(t[0], t[1], t[2], Refs(t[3], t[4], t[5], t[6], t[7])), t[8], t[9], t[10])

    def raw(self) -> str:
        return line_at(self.source, *self.at)


_NO_REFS = Refs()  # a light item's: it is never checked for references, only confirmed unchanged or read again


def light_row(fact: Fact) -> dict[str, Any]:
    """What confirms a fact unchanged (its hash and a relationship's ends) and picks its lane."""
    row = fact.row
    light = {"hash": row["hash"], **{f: row[f] for f in _FINDS.get(fact.kind, ())}}
    if fact.kind in _LANE_KEY:
        light["entity"] = row["entity"]
    return light


def line_at(source: str, offset: int, length: int) -> str:
    """A line as `_read_line` decoded it (it was valid UTF-8 then)."""
    with open(source, "rb") as f:
        f.seek(offset)
        return f.read(length).decode("utf-8").removeprefix("\ufeff").rstrip("\r\n")


Progress = Callable[[str, int], None]  # (phase, amount advanced)
# A first pass over one file done elsewhere (parallel_read): yields its level-1 items in file order and
# writes the later levels to the spools.
Reader = Callable[["Importer", Path, dict[int, IO[bytes]]], Iterator[_Item]]

# What decides a batch's writer when there are several: facts that a check or a write must see in file
# order (the same key twice; the holdings of one entity, checked against each other) share a writer.
_LANE_KEY: dict[str, Callable[[Fact], str]] = {
    "holding": lambda f: str(f.row["entity"]),
    "branch": lambda f: str(f.row["entity"]),
    "role": lambda f: str(f.row["entity"]),
}


class Importer:
    def __init__(
        self,
        driver: neo4j.Driver,
        database: str,
        protector: IdProtector,
        rejects: IO[str],
        batch_size: int = 2000,
        today: dt.date | None = None,
        progress: Progress | None = None,
        writers: int = 1,
        reader: Reader | None = None,
    ):
        self._driver = driver
        self._database = database
        self._builder = FactBuilder(protector, list_defaults())
        self._rejects = rejects
        self._batch_size = batch_size
        self._today = today or dt.date.today()
        self._progress = progress or (lambda phase, n: None)
        self.report = ImportReport()
        self._lock = threading.Lock()  # the report and the rejects file are shared with the writer thread
        self._writers = writers
        self._reader = reader
        self._writer = _Writer(self._commit, writers)
        self._written = WrittenKeys()  # what tells a light item that must still be confirmed

    def run(self, paths: list[Path]) -> ImportReport:
        try:
            with tempfile.TemporaryDirectory(prefix="graph-api-import-") as tmp, ExitStack() as spooled:
                spools: dict[int, IO[bytes]] = {
                    level: spooled.enter_context(open(Path(tmp) / f"level{level}.pickle", "w+b")) for level in (2, 3)
                }
                try:
                    for path in paths:
                        self._first_pass(path, spools)
                    self._writer.drain()  # a level's references exist once the level below is committed
                    for level in (2, 3):
                        spools[level].seek(0)
                        self._write_stream(_unspool(spools[level]), f"level {level}")
                        self._writer.drain()
                finally:
                    self._writer.close()
        except (
            neo4j.exceptions.ServiceUnavailable,
            neo4j.exceptions.SessionExpired,
            neo4j.exceptions.TransientError,
        ) as e:
            raise ImportInterrupted(self.report, e) from e
        return self.report

    def _first_pass(self, path: Path, spools: dict[int, IO[bytes]]) -> None:
        if self._reader is not None:
            self._write_stream(self._reader(self, path, spools), "read")
            return

        def level1() -> Iterator[_Item]:
            for item in self._read(path):
                level = LEVELS[item.fact.kind]
                if level == 1:
                    yield item
                else:
                    pickle.dump(item.to_spool(), spools[level], protocol=pickle.HIGHEST_PROTOCOL)

        self._write_stream(level1(), "read")

    def _read(self, path: Path) -> Iterator[_Item]:
        source = str(path)
        with open(path, "rb") as f:
            unreported = offset = 0
            for line_no, data in enumerate(f, start=1):
                at = offset
                offset += len(data)
                unreported += len(data)
                if line_no % 1000 == 0:  # a progress update per line would cost more than parsing it
                    self._progress("read", unreported)
                    unreported = 0
                item = self._read_line(source, line_no, data, at)
                if item is not None:
                    yield item
            self._progress("read", unreported)

    def _read_line(self, source: str, line_no: int, data: bytes, at: int) -> _Item | None:
        """One line's own checks and its fact; None when it is blank or rejected (into the rejects file)."""
        if not data.strip():
            return None
        try:
            raw = data.decode("utf-8").removeprefix("\ufeff").rstrip("\r\n")
        except UnicodeDecodeError:
            self.report.counts["unreadable"].read += 1
            self._reject(
                source,
                line_no,
                data.decode("utf-8", "replace").rstrip("\r\n"),
                Rejection("INVALID_ENCODING", "the line is not valid UTF-8; save the file as UTF-8"),
            )
            return None
        if len(data) > MAX_LINE_BYTES:
            self.report.counts["unreadable"].read += 1
            self._reject(
                source,
                line_no,
                raw,
                Rejection("LINE_TOO_LONG", f"the line has {len(data)} bytes; at most {MAX_LINE_BYTES} are accepted"),
            )
            return None
        parsed = parse_line(raw)
        if isinstance(parsed, Rejection):
            self.report.counts[parsed.kind if parsed.kind in KINDS else "unreadable"].read += 1
            self._reject(source, line_no, raw, parsed)
            return None
        with self._lock:
            self.report.counts[parsed.kind].read += 1
        problem = check_line_rules(parsed, self._today)
        if problem:
            self._reject(source, line_no, raw, problem)
            return None
        return _Item(self._builder.build(parsed), source, line_no, (at, len(data)))

    def _full(self, item: _Item) -> _Item:
        """A light item's whole fact, from its line read again (it passed the line rules in its worker)."""
        if not item.light:
            return item
        fact = self._builder.build(parse_line(item.raw()))
        return _Item(fact, item.source, item.line_no, item.at)

    def _write_stream(self, items: Iterator[_Item], phase: str) -> None:
        batches: dict[tuple[str, int], dict[str, _Item]] = defaultdict(dict)
        unchanged: dict[str, int] = defaultdict(int)
        try:
            self._write_items(items, phase, batches, unchanged)
        finally:
            with self._lock:
                for kind, n in unchanged.items():
                    self.report.counts[kind].unchanged += n
        for (kind, lane), batch in batches.items():
            if batch:
                self._flush(kind, list(batch.values()), lane)

    def _write_items(
        self,
        items: Iterator[_Item],
        phase: str,
        batches: dict[tuple[str, int], dict[str, _Item]],
        unchanged: dict[str, int],
    ) -> None:
        written = self._written
        for item in items:
            kind = item.fact.kind
            if not item.light:
                written.add(kind, item.fact.key)
            elif not written.may_hold(kind, item.fact.key):
                # unchanged as of its worker's read, and this import has not written the key since
                unchanged[kind] += 1
                if phase != "read" and unchanged[kind] % 1000 == 0:
                    self._progress(phase, 1000)
                continue
            lane = self._lane(item.fact)
            batch = batches[kind, lane]
            # A key seen twice in one batch would race with itself inside one statement: flush first.
            if item.fact.key in batch or len(batch) >= self._batch_size:
                self._flush(kind, list(batch.values()), lane)
                batch.clear()
            batch[item.fact.key] = item
            if phase != "read" and len(batch) % 1000 == 0:
                self._progress(phase, 1000)

    def _lane(self, fact: Fact) -> int:
        if self._writers == 1:
            return 0
        key = _LANE_KEY[fact.kind](fact) if fact.kind in _LANE_KEY else fact.key
        return zlib.crc32(key.encode()) % self._writers

    def _flush(self, kind: str, items: list[_Item], lane: int = 0) -> None:
        self._writer.submit(kind, items, lane)

    def _commit(self, kind: str, items: list[_Item]) -> None:
        with self._driver.session(database=self._database) as session:
            try:
                outcomes, rejected = session.execute_write(self._write_batch, kind, items, True)
            except neo4j.exceptions.ConstraintError:
                # another import created a key this one found absent: the whole batch again, by MERGE
                outcomes, rejected = session.execute_write(self._write_batch, kind, items, False)
        # Rejections are reported only once the transaction committed: a retried one recomputes them.
        for item, rejection in rejected:
            self._reject(item.source, item.line_no, item.raw(), rejection)
        with self._lock:
            counts = self.report.counts[kind]
            for outcome, n in outcomes.items():
                setattr(counts, outcome, getattr(counts, outcome) + n)

    def _write_batch(
        self, tx: neo4j.ManagedTransaction, kind: str, items: list[_Item], creating: bool
    ) -> tuple[dict[str, int], list[tuple[_Item, Rejection]]]:
        rejected: list[tuple[_Item, Rejection]] = []
        outcomes: dict[str, int] = defaultdict(int)
        absent: set[str] = set()  # keys to CREATE: confirmed absent in this transaction
        # A fact stored with the same content passed these checks when it was written, and an unchanged
        # stake leaves its entity's total as it was; but a listing's basis may be a record this import
        # changed, so listings are checked first, as before.
        if kind != "listing":
            # a light item still here changed since its worker read it: it is written from its line
            items, absent = self._leave_unchanged(tx, kind, items, outcomes, creating)
            items = [self._full(i) for i in items]
        if LEVELS[kind] > 1:
            problems = reference_problems(tx, kind, items)
            if kind == "holding":
                problems.update(holding_problems(tx, [i for i in items if id(i) not in problems]))
            rejected = [(i, problems[id(i)]) for i in items if id(i) in problems]
            items = [i for i in items if id(i) not in problems]
        if kind == "listing":
            items, _ = self._leave_unchanged(tx, kind, items, outcomes, False)
        if items:
            created = [i.fact.row for i in items if i.fact.key in absent]
            merged = [i.fact.row for i in items if i.fact.key not in absent]
            fresh = new_keys(tx, kind, merged) + [r["key"] for r in created]
            for statement, rows in ((_CREATE.get(kind), created), (_STATEMENTS[kind], merged)):
                if rows and statement is not None:
                    for r in run_sync(tx, statement, rows=rows):
                        outcomes[r["outcome"]] += r["n"]
            raise_reappearances(tx, kind, [i.fact.row for i in items], self._today)
            raise_imported(tx, kind, fresh)
        return dict(outcomes), rejected

    @staticmethod
    def _leave_unchanged(
        tx: neo4j.ManagedTransaction, kind: str, items: list[_Item], outcomes: dict[str, int], creating: bool
    ) -> tuple[list[_Item], set[str]]:
        """The items whose fact the graph does not hold with the same content (the others count as
        unchanged), and, when `creating` and the kind is keyed by a unique constraint, the keys it does
        not hold at all."""
        if not items:
            return items, set()
        fields = _FINDS.get(kind, ())
        rows = [{"key": i.fact.key, "hash": i.fact.row["hash"], **{f: i.fact.row[f] for f in fields}} for i in items]
        absent: set[str] = set()
        if creating and kind in _STORED:
            stored = run_sync(tx, _STORED[kind], rows=rows)[0]
            unchanged, absent = set(stored["keys"]), set(stored["absent"])
        else:
            unchanged = set(run_sync(tx, _UNCHANGED[kind], rows=rows)[0]["keys"])
        if unchanged:
            outcomes["unchanged"] += len(unchanged)
        return [i for i in items if i.fact.key not in unchanged], absent

    def _reject(self, source: str, line_no: int, raw: str, rejection: Rejection) -> None:
        kind = rejection.kind
        entry = json.dumps(
            {
                "file": source,
                "line": line_no,
                "kind": kind,
                "code": rejection.code,
                "message": rejection.message,
                "raw": raw,
            },
            ensure_ascii=False,
        )
        with self._lock:
            self.report.counts[kind if kind in KINDS else "unreadable"].rejected += 1
            self._rejects.write(entry + "\n")


def _unspool(f: IO[bytes]) -> Iterator[_Item]:
    """The spooled items in order: one pickled tuple each, or a list of them (a block read in parallel)."""
    while True:
        try:
            entry = pickle.load(f)
        except EOFError:
            return
        if isinstance(entry, list):
            yield from map(_Item.from_spool, entry)
        else:
            yield _Item.from_spool(entry)


class _Writer:
    """Threads that commit batches while the reader parses the next ones: the database and the parser
    overlap instead of taking turns. Each lane is one thread whose batches keep their order (the
    holdings check relies on it), at most two wait per lane, and the first failure stops the rest and
    surfaces in the reader. Lanes run side by side: a deadlock between them is a transient error that
    the managed transaction retries."""

    def __init__(self, commit: Callable[[str, list[_Item]], None], lanes: int = 1):
        self._commit = commit
        self._jobs: list[queue.Queue[tuple[str, list[_Item]] | None]] = [queue.Queue(maxsize=2) for _ in range(lanes)]
        self._error: BaseException | None = None
        self._threads = [
            threading.Thread(target=self._loop, args=(jobs,), name=f"import-writer-{n}", daemon=True)
            for n, jobs in enumerate(self._jobs)
        ]
        for thread in self._threads:
            thread.start()

    def submit(self, kind: str, items: list[_Item], lane: int = 0) -> None:
        self._raise()
        self._jobs[lane].put((kind, items))

    def drain(self) -> None:
        for jobs in self._jobs:
            jobs.join()
        self._raise()

    def close(self) -> None:
        for jobs in self._jobs:
            jobs.put(None)
        for thread in self._threads:
            thread.join()

    def _raise(self) -> None:
        if self._error is not None:
            raise self._error

    def _loop(self, jobs: queue.Queue[tuple[str, list[_Item]] | None]) -> None:
        while True:
            job = jobs.get()
            try:
                if job is None:
                    return
                if self._error is None:
                    self._commit(*job)
            except BaseException as e:  # handed to the reader thread, which reports it
                self._error = e
            finally:
                jobs.task_done()
