"""The CSV files `neo4j-admin database import full` reads, holding the graph the transactional importer
writes (cypher/import.cypher): the same labels, relationship types and properties, `status` 'ACTIVE' on
new records and listings, `factHash`/`factJson`/`recordedAt` on every fact, and a `(:Revision)` for
each content a later line of the same key replaced.

Every row starts with two columns neo4j-admin ignores: the accepted line's sequence number (a row
whose fact a later line replaced is dropped by `drop_superseded`) and the fact's key."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from graph_api.ingest.facts import Fact

_FACT = ["factHash", "factJson", "recordedAt:datetime"]
_PRE = ["idx:IGNORE", "key:IGNORE"]
ENTITY_PROPS = {
    "name": "",
    "form": "",
    "status": "",
    "region": "",
    "industry": "",
    "established": ":date",
    "registeredCapital": ":double",
    "address": "",
}
RECORD_PROPS = {
    "category": "",
    "severity": "",
    "decisionNo": "",
    "decidedOn": ":date",
    "publishedOn": ":date",
    "summary": "",
    "disclosure": "",
    "polarity": "",
    "publishDueOn": ":date",
    "publishDueEstimated": ":boolean",
}
COMMITMENT_PROPS = {"type": "", "matter": "", "madeOn": ":date", "dueOn": ":date", "status": ""}


@dataclass(frozen=True)
class _File:
    option: str  # nodes or relationships
    label: str  # label or type; "" when the rows name it (:TYPE)
    header: list[str]
    fact_kind: str | None = None  # the kind whose fact (hash, json) the rows carry


def _cols(props: dict[str, str]) -> list[str]:
    return [name + kind for name, kind in props.items()]


FILES: dict[str, _File] = {
    "departments": _File("nodes", "Department", ["code:ID(Department)", "name", "region", *_FACT], "department"),
    "entities": _File("nodes", "Entity", ["uscc:ID(Entity)", *_cols(ENTITY_PROPS), *_FACT], "entity"),
    "persons": _File(
        "nodes", "Person", ["idHash:ID(Person)", "name", "idType", "idMasked", "idCipher", *_FACT], "person"
    ),
    "records": _File("nodes", "Record", ["id:ID(Record)", *_cols(RECORD_PROPS), "status", *_FACT], "record"),
    "listings": _File(
        "nodes",
        "Listing",
        ["id:ID(Listing)", "list", "since:date", "until:date", "measuresGiven:boolean", "status", *_FACT],
        "listing",
    ),
    "commitments": _File("nodes", "Commitment", ["id:ID(Commitment)", *_cols(COMMITMENT_PROPS), *_FACT], "commitment"),
    "measures": _File("nodes", "Measure", ["code:ID(Measure)"]),
    "revisions": _File(
        "nodes",
        "Revision",
        [":ID(Revision)", "kind", "key", "hash", "data", "validFrom:datetime", "supersededAt:datetime"],
    ),
    "roles": _File(
        "relationships",
        "",
        [":START_ID(Person)", ":END_ID(Entity)", ":TYPE", "since:date", "until:date", *_FACT],
        "role",
    ),
    "holds_p": _File(
        "relationships",
        "HOLDS",
        [":START_ID(Person)", ":END_ID(Entity)", "ratio:double", "since:date", "until:date", *_FACT],
        "holding",
    ),
    "holds_e": _File(
        "relationships",
        "HOLDS",
        [":START_ID(Entity)", ":END_ID(Entity)", "ratio:double", "since:date", "until:date", *_FACT],
        "holding",
    ),
    "branch_of": _File("relationships", "BRANCH_OF", [":START_ID(Entity)", ":END_ID(Entity)", *_FACT], "branch"),
    "has_record_e": _File("relationships", "HAS_RECORD", [":START_ID(Entity)", ":END_ID(Record)"]),
    "has_record_p": _File("relationships", "HAS_RECORD", [":START_ID(Person)", ":END_ID(Record)"]),
    "record_decided_by": _File("relationships", "DECIDED_BY", [":START_ID(Record)", ":END_ID(Department)"]),
    "listed_on_e": _File("relationships", "LISTED_ON", [":START_ID(Entity)", ":END_ID(Listing)"]),
    "listed_on_p": _File("relationships", "LISTED_ON", [":START_ID(Person)", ":END_ID(Listing)"]),
    "listing_decided_by": _File("relationships", "DECIDED_BY", [":START_ID(Listing)", ":END_ID(Department)"]),
    "based_on": _File("relationships", "BASED_ON", [":START_ID(Listing)", ":END_ID(Record)"]),
    "applies": _File("relationships", "APPLIES", [":START_ID(Listing)", ":END_ID(Measure)"]),
    "committed": _File("relationships", "COMMITTED", [":START_ID(Entity)", ":END_ID(Commitment)"]),
    "made_to": _File("relationships", "MADE_TO", [":START_ID(Commitment)", ":END_ID(Department)"]),
}


def _cell(v: Any) -> Any:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    return v


def _only(props: dict[str, Any], allowed: dict[str, str], kind: str) -> list[Any]:
    # A property the interchange format gains must get a column here, not vanish from the bulk graph.
    extra = set(props) - set(allowed)
    if extra:
        raise ValueError(f"bulk import: no CSV column for {kind} properties {sorted(extra)}")
    return [props.get(k) for k in allowed]


Rendered = list[tuple[str, str]]  # (file name, CSV line without the leading sequence number)


def stamp(recorded_at: dt.datetime) -> str:
    return recorded_at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


class RowRenderer:
    """Renders a fact's CSV rows ahead of acceptance (in a validating worker): accepting then costs
    one string per row, its sequence number in front."""

    def __init__(self, recorded_at: str):
        self.recorded_at = recorded_at
        self._buf = io.StringIO()
        self._csv = csv.writer(self._buf)

    def render(self, fact: Fact) -> tuple[Rendered, bool]:
        """The rows and whether a cell holds a line break (neo4j-admin then needs --multiline-fields)."""
        out: Rendered = []
        buf, w = self._buf, self._csv

        def r(name: str, key: str, values: list[Any]) -> None:
            w.writerow([key, *(_cell(v) for v in values)])
            out.append((name, buf.getvalue()))
            buf.seek(0)
            buf.truncate()

        kind, key, row = fact.kind, fact.key, fact.row
        props = row.get("props", {})
        meta = [row["hash"], row["json"], self.recorded_at]
        if kind == "department":
            r("departments", key, [key, props["name"], props["region"], *meta])
        elif kind == "entity":
            r("entities", key, [key, *_only(props, ENTITY_PROPS, kind), *meta])
        elif kind == "person":
            r("persons", key, [key, props["name"], props["idType"], props["idMasked"], row["cipher"], *meta])
        elif kind == "role":
            r("roles", key, [row["person"], row["entity"], row["role"], row["since"], props["until"], *meta])
        elif kind == "holding":
            side = "e" if row["holderEntity"] else "p"
            r("holds_" + side, key, [row["holder"], row["entity"], props["ratio"], row["since"], props["until"], *meta])
        elif kind == "branch":
            r("branch_of", key, [row["entity"], row["parent"], *meta])
        elif kind == "record":
            side = "e" if row["subjectEntity"] else "p"
            r("records", key, [key, *_only(props, RECORD_PROPS, kind), "ACTIVE", *meta])
            r("has_record_" + side, key, [row["subject"], key])
            r("record_decided_by", key, [key, row["department"]])
        elif kind == "listing":
            side = "e" if row["subjectEntity"] else "p"
            p = props
            r("listings", key, [key, p["list"], p["since"], p["until"], p["measuresGiven"], "ACTIVE", *meta])
            r("listed_on_" + side, key, [row["subject"], key])
            r("listing_decided_by", key, [key, row["department"]])
            for record_id in row["basis"]:
                r("based_on", key, [key, record_id])
            for code in row["measures"]:
                r("applies", key, [key, code])
        elif kind == "commitment":
            r("commitments", key, [key, *_only(props, COMMITMENT_PROPS, kind), *meta])
            r("committed", key, [row["entity"], key])
            r("made_to", key, [key, row["department"]])
        else:
            raise ValueError(f"bulk import: unknown kind {kind!r}")
        # Every line ends in \r\n; a break before that is inside a cell.
        multiline = any("\n" in text[:-2] or "\r" in text[:-2] for _, text in out)
        return out, multiline


class CsvWriter:
    """Writes the facts of accepted lines; `close()` then `arguments()` name the files for neo4j-admin."""

    def __init__(self, outdir: Path, measures: Iterable[str], recorded_at: dt.datetime):
        self.outdir = outdir
        self.recorded_at = stamp(recorded_at)
        self.rows = dict.fromkeys(FILES, 0)
        self.multiline = False
        self._stack = ExitStack()
        self._files: dict[str, Any] = {}
        self._writers: dict[str, Any] = {}
        self._renderer = RowRenderer(self.recorded_at)
        outdir.mkdir(parents=True, exist_ok=True)
        for name, spec in FILES.items():
            f = self._stack.enter_context(open(outdir / f"{name}.csv", "w", newline="", encoding="utf-8"))  # noqa: SIM115 - closed by close()
            self._files[name] = f
            self._writers[name] = w = csv.writer(f)
            w.writerow([*_PRE, *spec.header])
        for code in measures:
            self._row("measures", 0, code, [code])

    def close(self, superseded: set[int]) -> None:
        """Closes the files; then drops the rows of facts a later line replaced (`superseded`)."""
        self._stack.close()
        if superseded:
            self._drop_superseded(superseded)

    def _row(self, name: str, idx: int, key: str, values: list[Any]) -> None:
        cells = [_cell(v) for v in values]
        if not self.multiline and any(isinstance(c, str) and ("\n" in c or "\r" in c) for c in cells):
            self.multiline = True
        self._writers[name].writerow([idx, key, *cells])
        self.rows[name] += 1

    def write(self, fact: Fact, idx: int) -> None:
        self.write_rendered(*self._renderer.render(fact), idx)

    def write_rendered(self, rendered: Rendered, multiline: bool, idx: int) -> None:
        files, rows = self._files, self.rows
        for name, text in rendered:
            files[name].write(f"{idx},{text}")
            rows[name] += 1
        if multiline:
            self.multiline = True

    def _drop_superseded(self, superseded: set[int]) -> None:
        # Each replaced content is kept once as a Revision, as the importer's MERGE on kind, key and hash does.
        revisions: dict[tuple[str, str, str], str] = {}
        for name, spec in FILES.items():
            if name in ("measures", "revisions"):
                continue
            path = self.outdir / f"{name}.csv"
            kept = self.outdir / f"{name}.kept.csv"
            hash_at = len(_PRE) + spec.header.index("factHash") if spec.fact_kind else -1
            with open(path, newline="", encoding="utf-8") as src, open(kept, "w", newline="", encoding="utf-8") as dst:
                reader, writer = csv.reader(src), csv.writer(dst)
                writer.writerow(next(reader))
                self.rows[name] = 0
                for cells in reader:
                    if int(cells[0]) not in superseded:
                        writer.writerow(cells)
                        self.rows[name] += 1
                    elif spec.fact_kind:
                        revisions.setdefault((spec.fact_kind, cells[1], cells[hash_at]), cells[hash_at + 1])
            kept.replace(path)
        with open(self.outdir / "revisions.csv", "w", newline="", encoding="utf-8") as f:
            self._writers["revisions"] = w = csv.writer(f)
            w.writerow([*_PRE, *FILES["revisions"].header])
            for n, ((kind, key, digest), data) in enumerate(sorted(revisions.items())):
                at = self.recorded_at
                self._row("revisions", 0, key, [f"r{n}", kind, key, digest, data, at, at])

    def arguments(self) -> list[str]:
        args = []
        for name, spec in FILES.items():
            if self.rows[name]:
                label = f"{spec.label}=" if spec.label else ""
                args.append(f"--{spec.option}={label}{self.outdir / f'{name}.csv'}")
        if self.multiline:
            args.append("--multiline-fields=true")
        return args
