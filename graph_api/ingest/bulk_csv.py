"""The CSV files `neo4j-admin database import full` reads, holding the graph the transactional importer
writes (cypher/import.cypher): the same labels, relationship types and properties, `status` 'ACTIVE' on
new records and listings, `factHash`/`factJson`/`recordedAt` on every fact, and a `(:Revision)` for
each content a later line of the same key replaced.

Every row starts with two columns neo4j-admin ignores: the accepted line's sequence number (a row
whose fact a later line replaced is dropped by `drop_superseded`) and the fact's key."""

from __future__ import annotations

import csv
import datetime as dt
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


class CsvWriter:
    """Writes the facts of accepted lines; `close()` then `arguments()` name the files for neo4j-admin."""

    def __init__(self, outdir: Path, measures: Iterable[str], recorded_at: dt.datetime):
        self.outdir = outdir
        self.recorded_at = recorded_at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        self.rows = dict.fromkeys(FILES, 0)
        self.multiline = False
        self._stack = ExitStack()
        self._writers: dict[str, Any] = {}
        outdir.mkdir(parents=True, exist_ok=True)
        for name, spec in FILES.items():
            f = self._stack.enter_context(open(outdir / f"{name}.csv", "w", newline="", encoding="utf-8"))  # noqa: SIM115 - closed by close()
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
        kind, key, row = fact.kind, fact.key, fact.row
        props = row.get("props", {})
        meta = [row["hash"], row["json"], self.recorded_at]
        r = self._row
        if kind == "department":
            r("departments", idx, key, [key, props["name"], props["region"], *meta])
        elif kind == "entity":
            r("entities", idx, key, [key, *_only(props, ENTITY_PROPS, kind), *meta])
        elif kind == "person":
            r("persons", idx, key, [key, props["name"], props["idType"], props["idMasked"], row["cipher"], *meta])
        elif kind == "role":
            r("roles", idx, key, [row["person"], row["entity"], row["role"], row["since"], props["until"], *meta])
        elif kind == "holding":
            side = "e" if row["holderEntity"] else "p"
            values = [row["holder"], row["entity"], props["ratio"], row["since"], props["until"], *meta]
            r("holds_" + side, idx, key, values)
        elif kind == "branch":
            r("branch_of", idx, key, [row["entity"], row["parent"], *meta])
        elif kind == "record":
            side = "e" if row["subjectEntity"] else "p"
            r("records", idx, key, [key, *_only(props, RECORD_PROPS, kind), "ACTIVE", *meta])
            r("has_record_" + side, idx, key, [row["subject"], key])
            r("record_decided_by", idx, key, [key, row["department"]])
        elif kind == "listing":
            side = "e" if row["subjectEntity"] else "p"
            p = props
            r("listings", idx, key, [key, p["list"], p["since"], p["until"], p["measuresGiven"], "ACTIVE", *meta])
            r("listed_on_" + side, idx, key, [row["subject"], key])
            r("listing_decided_by", idx, key, [key, row["department"]])
            for record_id in row["basis"]:
                r("based_on", idx, key, [key, record_id])
            for code in row["measures"]:
                r("applies", idx, key, [key, code])
        elif kind == "commitment":
            r("commitments", idx, key, [key, *_only(props, COMMITMENT_PROPS, kind), *meta])
            r("committed", idx, key, [row["entity"], key])
            r("made_to", idx, key, [key, row["department"]])
        else:
            raise ValueError(f"bulk import: unknown kind {kind!r}")

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
