"""The bulk import's validation: every line goes through the transactional importer's own reading,
line rules and fact building (`Importer._read`), and the same cross-line checks (`checks.py`) run
against what the accepted lines so far hold instead of the graph, in the importer's order — all
departments, entities and persons first, then roles, holdings, branches, records and commitments in
file order, then listings — so the same lines are rejected with the same codes and messages, and the
same facts survive. The accepted facts go to CSV files for `neo4j-admin database import full`.

Memory grows with the number of distinct keys (about 100 bytes each: 8-byte digests of the key and
of the content), not with the file; the later levels are spooled to disk as the importer does."""

from __future__ import annotations

import datetime as dt
import hashlib
import pickle
import tempfile
import threading
from collections import defaultdict
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import IO, Any

from graph_api.domain.catalogue import catalogue, list_defaults
from graph_api.domain.holdings import Stake
from graph_api.ingest.bulk_csv import CsvWriter
from graph_api.ingest.checks import BasisFacts, Known, holding_problems_against, problems_against
from graph_api.ingest.facts import FactBuilder
from graph_api.ingest.interchange import Rejection
from graph_api.ingest.pipeline import LEVELS, Importer, ImportReport, Progress, _Item
from graph_api.store.pii import IdProtector

_CHUNK = 2000


class _Reader(Importer):
    """The importer's line reading and rejects file, without its database writer."""

    def __init__(self, protector: IdProtector, rejects: IO[str], today: dt.date, progress: Progress):
        # Only what `_read` and `_reject` use: no driver and no writer thread.
        self._builder = FactBuilder(protector, list_defaults())
        self._rejects = rejects
        self._today = today
        self._progress = progress
        self.report = ImportReport()
        self._lock = threading.Lock()


class BulkValidator:
    def __init__(
        self,
        protector: IdProtector,
        rejects: IO[str],
        today: dt.date | None = None,
        progress: Progress | None = None,
    ):
        self._reader = _Reader(protector, rejects, today or dt.date.today(), progress or (lambda phase, n: None))
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

    def run(self, paths: list[Path], outdir: Path) -> CsvWriter:
        """Validates `paths` into CSV files under `outdir`; the rejects go to the rejects file."""
        out = CsvWriter(outdir, sorted(self._known.measures), dt.datetime.now(dt.UTC))
        try:
            with tempfile.TemporaryDirectory(prefix="graph-api-bulk-") as tmp, ExitStack() as spooled:
                spools: dict[int, IO[bytes]] = {
                    level: spooled.enter_context(open(Path(tmp) / f"level{level}.pickle", "w+b")) for level in (2, 3)
                }
                pending: dict[int, list[tuple[Any, ...]]] = {2: [], 3: []}
                for path in paths:
                    for item in self._reader._read(path):
                        level = LEVELS[item.fact.kind]
                        if level == 1:
                            self._accept(item, out)
                            continue
                        pending[level].append(item.to_spool())
                        if len(pending[level]) >= _CHUNK:  # one pickle per chunk: per item costs 3x more
                            _spool(pending[level], spools[level])
                for level in (2, 3):
                    _spool(pending[level], spools[level])
                    spools[level].seek(0)
                    for chunk in _unspool_chunks(spools[level]):
                        self._check(chunk, out)
        finally:
            out.close(self._superseded)
        return out

    def _check(self, chunk: list[_Item], out: CsvWriter) -> None:
        by_kind: dict[str, list[_Item]] = defaultdict(list)
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
                self._reader._reject(item.source, item.line_no, item.raw, rejection)
            else:
                self._accept(item, out)

    def _accept(self, item: _Item, out: CsvWriter) -> None:
        fact = item.fact
        self._seq += 1
        digest = int.from_bytes(hashlib.blake2b(f"{fact.kind}|{fact.key}".encode(), digest_size=8).digest())
        content = int(fact.row["hash"][:16], 16)
        counts = self.report.counts[fact.kind]
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
        out.write(fact, self._seq)
        row = fact.row
        if fact.kind == "department":
            self._departments.add(fact.key)
        elif fact.kind == "entity":
            self._entities.add(fact.key)
        elif fact.kind == "person":
            self._persons.add(fact.key)
        elif fact.kind == "record":
            props = row["props"]
            self._records[fact.key] = BasisFacts(row["subject"], props["polarity"], props["decidedOn"])


def _spool(items: list[tuple[Any, ...]], f: IO[bytes]) -> None:
    if items:
        pickle.dump(items, f, protocol=pickle.HIGHEST_PROTOCOL)
        items.clear()


def _unspool_chunks(f: IO[bytes]) -> Iterator[list[_Item]]:
    while True:
        try:
            yield [_Item.from_spool(t) for t in pickle.load(f)]
        except EOFError:
            return
