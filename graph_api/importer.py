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
import tempfile
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import neo4j

from .catalogue import list_defaults
from .cypher_loader import queries
from .domain import PUNISHMENT_LISTS
from .facts import Fact, FactBuilder
from .holdings import Stake, first_excess
from .interchange import KINDS, Rejection, check_line_rules, parse_line
from .pii import IdProtector

LEVELS = {"department": 1, "entity": 1, "person": 1, "role": 2, "holding": 2, "branch": 2, "record": 2,
          "commitment": 2, "listing": 3}
_STATEMENTS = {"department": "import_departments", "entity": "import_entities", "person": "import_persons",
               "role": "import_roles", "holding": "import_holdings", "branch": "import_branches",
               "record": "import_records", "listing": "import_listings", "commitment": "import_commitments"}
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

    @property
    def total_read(self) -> int:
        return sum(c.read for c in self.counts.values())


class ImportInterrupted(RuntimeError):
    """The database failed mid-import. Every batch committed before stays; running the same import
    again resumes, because facts already stored count as unchanged."""

    def __init__(self, report: ImportReport, cause: Exception):
        super().__init__(str(cause))
        self.report = report
        self.cause = cause


@dataclass
class _Item:
    fact: Fact
    source: str
    line_no: int
    raw: str


Progress = Callable[[str, int], None]  # (phase, amount advanced)


class Importer:
    def __init__(self, driver: neo4j.Driver, database: str, protector: IdProtector, rejects: IO[str],
                 batch_size: int = 2000, today: dt.date | None = None, progress: Progress | None = None):
        self._driver = driver
        self._database = database
        self._builder = FactBuilder(protector, list_defaults())
        self._rejects = rejects
        self._batch_size = batch_size
        self._today = today or dt.date.today()
        self._progress = progress or (lambda phase, n: None)
        self.report = ImportReport()

    def run(self, paths: list[Path]) -> ImportReport:
        try:
            with tempfile.TemporaryDirectory(prefix="graph-api-import-") as tmp:
                spools = {level: open(Path(tmp) / f"level{level}.pickle", "w+b") for level in (2, 3)}
                try:
                    for path in paths:
                        self._first_pass(path, spools)
                    for level in (2, 3):
                        spools[level].seek(0)
                        self._write_stream(_unspool(spools[level]), f"level {level}")
                finally:
                    for f in spools.values():
                        f.close()
        except (neo4j.exceptions.ServiceUnavailable, neo4j.exceptions.SessionExpired,
                neo4j.exceptions.TransientError) as e:
            raise ImportInterrupted(self.report, e) from e
        return self.report

    def _first_pass(self, path: Path, spools: dict[int, IO[bytes]]) -> None:
        def level1() -> Iterator[_Item]:
            for item in self._read(path):
                level = LEVELS[item.fact.kind]
                if level == 1:
                    yield item
                else:
                    pickle.dump(item, spools[level], protocol=pickle.HIGHEST_PROTOCOL)

        self._write_stream(level1(), "read")

    def _read(self, path: Path) -> Iterator[_Item]:
        source = str(path)
        with open(path, "rb") as f:
            for line_no, data in enumerate(f, start=1):
                self._progress("read", len(data))
                if not data.strip():
                    continue
                try:
                    raw = data.decode("utf-8").removeprefix("\ufeff").rstrip("\r\n")
                except UnicodeDecodeError:
                    self.report.counts["unreadable"].read += 1
                    self._reject(source, line_no, data.decode("utf-8", "replace").rstrip("\r\n"),
                                 Rejection("INVALID_ENCODING", "the line is not valid UTF-8; save the file as UTF-8"))
                    continue
                if len(data) > MAX_LINE_BYTES:
                    self.report.counts["unreadable"].read += 1
                    self._reject(source, line_no, raw, Rejection(
                        "LINE_TOO_LONG", f"the line has {len(data)} bytes; at most {MAX_LINE_BYTES} are accepted"))
                    continue
                parsed = parse_line(raw)
                if isinstance(parsed, Rejection):
                    self.report.counts[parsed.kind if parsed.kind in KINDS else "unreadable"].read += 1
                    self._reject(source, line_no, raw, parsed)
                    continue
                self.report.counts[parsed.kind].read += 1
                problem = check_line_rules(parsed, self._today)
                if problem:
                    self._reject(source, line_no, raw, problem)
                    continue
                yield _Item(self._builder.build(parsed), source, line_no, raw)

    def _write_stream(self, items: Iterator[_Item], phase: str) -> None:
        batches: dict[str, dict[str, _Item]] = defaultdict(dict)
        for item in items:
            batch = batches[item.fact.kind]
            # A key seen twice in one batch would race with itself inside one statement: flush first.
            if item.fact.key in batch or len(batch) >= self._batch_size:
                self._flush(item.fact.kind, list(batch.values()))
                batch.clear()
            batch[item.fact.key] = item
            if phase != "read":
                self._progress(phase, 1)
        for kind, batch in batches.items():
            if batch:
                self._flush(kind, list(batch.values()))

    def _flush(self, kind: str, items: list[_Item]) -> None:
        with self._driver.session(database=self._database) as session:
            outcomes, rejected = session.execute_write(self._write_batch, kind, items)
        # Rejections are reported only once the transaction committed: a retried one recomputes them.
        for item, rejection in rejected:
            self._reject(item.source, item.line_no, item.raw, rejection)
        counts = self.report.counts[kind]
        for outcome, n in outcomes.items():
            setattr(counts, outcome, getattr(counts, outcome) + n)

    def _write_batch(self, tx: neo4j.ManagedTransaction, kind: str, items: list[_Item]
                     ) -> tuple[dict[str, int], list[tuple[_Item, Rejection]]]:
        rejected: list[tuple[_Item, Rejection]] = []
        if LEVELS[kind] > 1:
            problems = _reference_problems(tx, kind, items)
            if kind == "holding":
                problems.update(_holding_problems(tx, [i for i in items if id(i) not in problems]))
            rejected = [(i, problems[id(i)]) for i in items if id(i) in problems]
            items = [i for i in items if id(i) not in problems]
        outcomes: dict[str, int] = {}
        if items:
            result = tx.run(getattr(queries, _STATEMENTS[kind]), rows=[i.fact.row for i in items])
            outcomes = {r["outcome"]: r["n"] for r in result}
        return outcomes, rejected

    def _reject(self, source: str, line_no: int, raw: str, rejection: Rejection) -> None:
        kind = rejection.kind
        self.report.counts[kind if kind in KINDS else "unreadable"].rejected += 1
        self._rejects.write(json.dumps({"file": source, "line": line_no, "kind": kind, "code": rejection.code,
                                        "message": rejection.message, "raw": raw}, ensure_ascii=False) + "\n")


def _unspool(f: IO[bytes]) -> Iterator[_Item]:
    while True:
        try:
            yield pickle.load(f)
        except EOFError:
            return


def _reference_problems(tx: neo4j.ManagedTransaction, kind: str, items: list[_Item]) -> dict[int, Rejection]:
    wanted: dict[str, set[str]] = defaultdict(set)
    for item in items:
        refs = item.fact.refs
        wanted["entities"] |= refs.entities
        wanted["persons"] |= set(refs.persons)
        wanted["departments"] |= refs.departments
        wanted["records"] |= refs.records
        wanted["measures"] |= refs.measures
    found = tx.run(queries.import_existing_keys, **{k: sorted(wanted[k]) for k in
                                                   ("entities", "persons", "departments", "records", "measures")}).single()
    entities, persons = set(found["entities"]), set(found["persons"])
    departments, measures = set(found["departments"]), set(found["measures"])
    records = {r["id"]: r for r in found["records"]}
    problems: dict[int, Rejection] = {}
    for item in items:
        refs, row, what = item.fact.refs, item.fact.row, f"{kind} line"
        missing = [f"entity {u}" for u in sorted(refs.entities - entities)]
        missing += [f"person {masked}" for h, masked in sorted(refs.persons.items()) if h not in persons]
        if missing:
            noun = "ENTITY" if any(m.startswith("entity") for m in missing) else "PERSON"
            problems[id(item)] = Rejection(f"UNKNOWN_{noun}", f"{what}: {', '.join(missing)} is not known; "
                                           f"import its {missing[0].split()[0]} line first (in this or an earlier file)", kind)
            continue
        if refs.departments - departments:
            code = sorted(refs.departments - departments)[0]
            problems[id(item)] = Rejection("UNKNOWN_DEPARTMENT", f"{what}: department {code!r} is not known; "
                                           "import its department line first", kind)
            continue
        if refs.measures - measures:
            problems[id(item)] = Rejection("UNKNOWN_MEASURE", f"{what}: measure(s) {', '.join(sorted(refs.measures - measures))} "
                                           "are not in the measure catalogue", kind)
            continue
        if kind == "listing":
            problem = _basis_problem(row, records)
            if problem:
                problems[id(item)] = Rejection(problem[0], f"{what}: {problem[1]}", kind)
    return problems


def _basis_problem(row: dict[str, Any], records: dict[str, Any]) -> tuple[str, str] | None:
    for record_id in row["basis"]:
        record = records.get(record_id)
        if record is None:
            return "UNKNOWN_RECORD", f"basis record {record_id!r} is not known; import its record line first"
        if record["subject"] != row["subject"]:
            return "BASIS_SUBJECT_MISMATCH", f"basis record {record_id!r} is about another subject than the listing"
        negative = record["polarity"] == "NEGATIVE"
        if (row["list"] in PUNISHMENT_LISTS) != negative:
            want = "a negative" if row["list"] in PUNISHMENT_LISTS else "a positive or neutral"
            return "BASIS_POLARITY", f"a {row['list']} listing needs {want} basis record; {record_id!r} is not"
        decided = record["decidedOn"].to_native()
        if decided > row["since"]:
            return "BASIS_AFTER_LISTING", (f"basis record {record_id!r} was decided on {decided}, "
                                           f"after the listing's start {row['since']}")
    return None


def _holding_problems(tx: neo4j.ManagedTransaction, items: list[_Item]) -> dict[int, Rejection]:
    stakes: dict[str, list[Stake]] = defaultdict(list)
    entities = sorted({i.fact.row["entity"] for i in items})
    for r in tx.run(queries.import_holdings_of, entities=entities):
        until = r["until"].to_native() if r["until"] is not None else None
        stakes[r["entity"]].append(Stake(r["holder"], r["since"].to_native(), until, r["ratio"]))
    problems: dict[int, Rejection] = {}
    for item in items:
        row = item.fact.row
        new = Stake(row["holder"], row["since"], row["props"]["until"], row["props"]["ratio"])
        excess = first_excess(stakes[row["entity"]], new)
        if excess:
            day, total = excess
            problems[id(item)] = Rejection(
                "HOLDINGS_EXCEED_100", f"holding line: the holdings of {row['entity']} would add up to {total:.2%} "
                f"on {day} with this {new.ratio:.2%}; correct the ratio or end an earlier holding with 'until'", "holding")
            continue
        stakes[row["entity"]] = [s for s in stakes[row["entity"]]
                                 if not (s.holder == new.holder and s.since == new.since)] + [new]
    return problems
