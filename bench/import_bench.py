#!/usr/bin/env python3
"""Import benchmark: `graph-api import` against Neo4j's own offline bulk import, on the same data.

    .venv/bin/python bench/import_bench.py [--entities-small N] [--entities-large M] [--repeat K]

What it does (see BENCHMARKS.md for the figures it produced):

1. `graph-api seed` writes a small and a large interchange file (the large one >= 1,000,000 lines by
   default) into a scratch directory under $TMPDIR.
2. For each file, on the *bench* Neo4j only (GRAPH_API_NEO4J_HOME=.neo4j/bench, Bolt 7689 unless the
   environment says otherwise; the ports of the demo, test and other servers are refused): wipe the
   database, run `graph-api import FILE --rejects R --json` as a child process and take its wall time,
   lines/s, peak RSS (``os.wait4`` rusage of that one child), its CPU time and the Neo4j server's CPU
   time over the same interval; check 0 rejects. The small file is imported --repeat times (medians),
   each time followed by a second import of the same file (the idempotent re-run: all unchanged).
   The large file is imported once.
3. The same JSONL is converted to neo4j-admin CSV files (persons keyed by the same HMAC of the identity
   number as the importer; the masked form and the AES-GCM ciphertext stored, never the clear number)
   and loaded with `neo4j-admin database import full` from the Maven jars into a separate, stopped home
   (/tmp/bulk-home, Bolt 7791 when it is started to check counts). Conversion and admin import are timed
   separately; the admin import runs --repeat times per file (medians). After the large one the bulk
   home is started, its node and relationship counts are compared with what the importer wrote, and
   `graph-api db migrate` (constraints, indexes, catalogue) is timed on it, then it is stopped again.
4. Prints Markdown tables, and writes all raw figures as JSON (--json-out, default in the scratch dir).

The bench server is left running (stop it with `graph-api neo4j stop` and the same environment).
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import datetime as dt
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
BIN = ROOT / ".venv" / "bin"
GRAPH_API = str(BIN / "graph-api")
PROTECTED_PORTS = {7687, 7688, 7699}  # the demo, test and other engineers' servers: never touched here
BENCH_DEFAULTS = {
    "GRAPH_API_NEO4J_HOME": str(ROOT / ".neo4j" / "bench"),
    "GRAPH_API_NEO4J_BOLT_PORT": "7689",
    "GRAPH_API_NEO4J_HEAP": "4g",
    "GRAPH_API_NEO4J_PAGECACHE": "4g",
}
DOMAIN_LABELS = ("Department", "Entity", "Person", "Record", "Listing", "Commitment")
DOMAIN_TYPES = (
    "LEGAL_REPRESENTATIVE",
    "PRINCIPAL",
    "ACTUAL_CONTROLLER",
    "DIRECTOR",
    "SUPERVISOR",
    "MANAGER",
    "HOLDS",
    "BRANCH_OF",
    "HAS_RECORD",
    "DECIDED_BY",
    "LISTED_ON",
    "BASED_ON",
    "COMMITTED",
    "MADE_TO",
)
CLK_TCK = os.sysconf("SC_CLK_TCK")


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


# ---------------------------------------------------------------- processes, memory, CPU


def proc_cpu_seconds(pid: int | None) -> float | None:
    if pid is None:
        return None
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / CLK_TCK  # utime + stime (fields 14, 15 of stat)


def _rss_kib(pid: int) -> int | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return None


def run_measured(
    cmd: list[str], env: dict[str, str], out: Path, err: Path, *, cwd: Path | None = None, server_pid: int | None = None
) -> dict[str, Any]:
    """Run one child; wall time, its own peak RSS and CPU (wait4 rusage: this child only, not the
    others this script ran), RSS sampled every 0.5 s, and the Neo4j server's CPU over the interval."""
    srv0 = proc_cpu_seconds(server_pid)
    t0 = time.perf_counter()
    with open(out, "wb") as fo, open(err, "wb") as fe:
        proc = subprocess.Popen(cmd, env=env, cwd=cwd, stdin=subprocess.DEVNULL, stdout=fo, stderr=fe)
    samples: list[tuple[float, int]] = []
    done = threading.Event()

    def sample() -> None:
        while not done.wait(0.5):
            if (kib := _rss_kib(proc.pid)) is not None:
                samples.append((time.perf_counter() - t0, kib))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, status, ru = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    done.set()
    sampler.join()
    proc.returncode = os.waitstatus_to_exitcode(status)  # reaped here; keeps Popen from waiting again
    srv1 = proc_cpu_seconds(server_pid)
    return {
        "cmd": cmd,
        "exit": proc.returncode,
        "wall_s": wall,
        "peak_rss_mib": ru.ru_maxrss / 1024,
        "cpu_s": ru.ru_utime + ru.ru_stime,
        "server_cpu_s": (srv1 - srv0) if srv0 is not None and srv1 is not None else None,
        "rss_samples_mib": [(round(t, 1), round(k / 1024, 1)) for t, k in samples[:: max(1, len(samples) // 40)]],
        "stdout": str(out),
        "stderr": str(err),
    }


def check(cmd: list[str], env: dict[str, str], **kw: Any) -> subprocess.CompletedProcess[str]:
    res = subprocess.run(cmd, env=env, capture_output=True, text=True, **kw)
    if res.returncode != 0:
        raise SystemExit(f"failed ({res.returncode}): {' '.join(cmd)}\n{res.stdout[-3000:]}\n{res.stderr[-3000:]}")
    return res


def settings_for(env: dict[str, str]):
    """A Settings object for the server described by `env` (same keys the child processes see)."""
    from graph_api.settings import Settings

    return Settings(
        neo4j_home=Path(env["GRAPH_API_NEO4J_HOME"]),
        neo4j_bolt_port=int(env["GRAPH_API_NEO4J_BOLT_PORT"]),
        neo4j_heap=env["GRAPH_API_NEO4J_HEAP"],
        neo4j_pagecache=env["GRAPH_API_NEO4J_PAGECACHE"],
    )


def server_pid(env: dict[str, str]) -> int | None:
    from graph_api.ops import neo4j_server

    return neo4j_server.status(settings_for(env)).pid


def graph_counts(env: dict[str, str]) -> dict[str, int]:
    import neo4j

    from graph_api.store.cypher_loader import queries

    s = settings_for(env)
    auth = (s.neo4j_user, s.neo4j_password.get_secret_value())
    with neo4j.GraphDatabase.driver(s.bolt_uri, auth=auth) as driver:
        records, _, _ = driver.execute_query(queries.admin_counts, database_=s.neo4j_database)
    return {r["name"]: r["n"] for r in records}


# ---------------------------------------------------------------- machine


def machine() -> dict[str, Any]:
    cpu = next(
        (
            ln.split(":", 1)[1].strip()
            for ln in Path("/proc/cpuinfo").read_text().splitlines()
            if ln.startswith("model name")
        ),
        platform.processor(),
    )
    git = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
    dirty = subprocess.run(
        ["git", "-C", str(ROOT), "status", "--porcelain", "--", "graph_api", "cypher"], capture_output=True, text=True
    ).stdout.rstrip()
    return {
        "date": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "free_g": subprocess.run(["free", "-g"], capture_output=True, text=True).stdout.strip(),
        "loadavg": Path("/proc/loadavg").read_text().split()[:3],
        "python": platform.python_version(),
        "commit": git.stdout.strip() + (" + uncommitted changes in graph_api/ or cypher/" if dirty else ""),
        "uncommitted": dirty.splitlines(),  # other engineers edit the tree while this runs
    }


# ---------------------------------------------------------------- JSONL -> neo4j-admin CSV


class _Csv:
    def __init__(self, path: Path, header: list[str]):
        self.path = path
        self.header = header
        self.rows = 0
        self.multiline = False  # a value with a line break needs --multiline-fields

    def __enter__(self) -> _Csv:
        self.f = open(self.path, "w", newline="", encoding="utf-8")
        self.w = csv.writer(self.f)
        self.w.writerow(self.header)
        return self

    def __exit__(self, *_: object) -> None:
        self.f.close()

    def row(self, values: list[Any]) -> None:
        out = []
        for v in values:
            if v is None:
                v = ""
            elif isinstance(v, bool):
                v = "true" if v else "false"
            elif isinstance(v, str) and ("\n" in v or "\r" in v):
                self.multiline = True
            out.append(v)
        self.w.writerow(out)
        self.rows += 1


_FACT = ["factHash", "factJson", "recordedAt:datetime"]  # what the importer stores on every fact


def jsonl_to_csv(src: Path, outdir: Path) -> dict[str, Any]:
    """Stream the interchange file into neo4j-admin CSV files holding the graph the importer writes.

    Each line goes through the importer's own code: `parse_line` (field validation and
    normalisation), `check_line_rules` (a line the importer would reject is left out and counted),
    and `FactBuilder` (the properties, the keyed hash / ciphertext / masked form of identity numbers,
    `factHash` and `factJson`, the measures of a listing with the list's defaults). So the nodes,
    relationships and properties are the importer's: `status` 'ACTIVE' on records and listings,
    `polarity`, `measuresGiven`, `(:Listing)-[:APPLIES]->(:Measure)` (the Measure nodes are written
    with their code only; `graph-api db migrate` merges the catalogue onto them afterwards),
    `recordedAt` (one timestamp for the whole conversion). What it does not repeat are the importer's
    checks across lines (references, holdings <= 100%, listing bases), which need the database.

    A key seen twice with the same content is written once (the importer counts it unchanged); with
    different content the first is kept and the line is counted in `conflicting_duplicates` (the
    importer would keep the last and a Revision). Returns the --nodes/--relationships arguments (plus
    --multiline-fields=true when a value has a line break) and row counts."""
    import hashlib

    from graph_api.domain.catalogue import catalogue, list_defaults
    from graph_api.ingest.facts import FactBuilder
    from graph_api.ingest.interchange import Rejection, check_line_rules, parse_line
    from graph_api.settings import Settings
    from graph_api.store.pii import IdProtector

    builder = FactBuilder(IdProtector.from_settings(Settings()), list_defaults())  # the importer's keys
    today = dt.date.today()
    recorded_at = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    outdir.mkdir(parents=True, exist_ok=True)
    spec: dict[str, tuple[str, str, list[str]]] = {
        # name: (--nodes or --relationships, label or type ("" = in the file), header)
        "departments": ("nodes", "Department", ["code:ID(Department)", "name", "region", *_FACT]),
        "entities": (
            "nodes",
            "Entity",
            [
                "uscc:ID(Entity)",
                "name",
                "form",
                "status",
                "region",
                "industry",
                "established:date",
                "registeredCapital:double",
                "address",
                *_FACT,
            ],
        ),
        "persons": ("nodes", "Person", ["idHash:ID(Person)", "name", "idType", "idMasked", "idCipher", *_FACT]),
        "records": (
            "nodes",
            "Record",
            [
                "id:ID(Record)",
                "category",
                "severity",
                "decisionNo",
                "decidedOn:date",
                "publishedOn:date",
                "summary",
                "disclosure",
                "polarity",
                "status",
                *_FACT,
            ],
        ),
        "listings": (
            "nodes",
            "Listing",
            ["id:ID(Listing)", "list", "since:date", "until:date", "measuresGiven:boolean", "status", *_FACT],
        ),
        "commitments": (
            "nodes",
            "Commitment",
            ["id:ID(Commitment)", "type", "matter", "madeOn:date", "dueOn:date", "status", *_FACT],
        ),
        "measures": ("nodes", "Measure", ["code:ID(Measure)"]),
        "roles": (
            "relationships",
            "",
            [":START_ID(Person)", ":END_ID(Entity)", ":TYPE", "since:date", "until:date", *_FACT],
        ),
        "holds_p": (
            "relationships",
            "HOLDS",
            [":START_ID(Person)", ":END_ID(Entity)", "ratio:double", "since:date", "until:date", *_FACT],
        ),
        "holds_e": (
            "relationships",
            "HOLDS",
            [":START_ID(Entity)", ":END_ID(Entity)", "ratio:double", "since:date", "until:date", *_FACT],
        ),
        "branch_of": ("relationships", "BRANCH_OF", [":START_ID(Entity)", ":END_ID(Entity)", *_FACT]),
        "has_record_e": ("relationships", "HAS_RECORD", [":START_ID(Entity)", ":END_ID(Record)"]),
        "has_record_p": ("relationships", "HAS_RECORD", [":START_ID(Person)", ":END_ID(Record)"]),
        "record_decided_by": ("relationships", "DECIDED_BY", [":START_ID(Record)", ":END_ID(Department)"]),
        "listed_on_e": ("relationships", "LISTED_ON", [":START_ID(Entity)", ":END_ID(Listing)"]),
        "listed_on_p": ("relationships", "LISTED_ON", [":START_ID(Person)", ":END_ID(Listing)"]),
        "listing_decided_by": ("relationships", "DECIDED_BY", [":START_ID(Listing)", ":END_ID(Department)"]),
        "based_on": ("relationships", "BASED_ON", [":START_ID(Listing)", ":END_ID(Record)"]),
        "applies": ("relationships", "APPLIES", [":START_ID(Listing)", ":END_ID(Measure)"]),
        "committed": ("relationships", "COMMITTED", [":START_ID(Entity)", ":END_ID(Commitment)"]),
        "made_to": ("relationships", "MADE_TO", [":START_ID(Commitment)", ":END_ID(Department)"]),
    }
    seen: dict[int, int] = {}  # 8-byte digest of (kind, key) -> 8 bytes of the content hash: flat-ish memory
    duplicates = conflicting = 0
    rejected: dict[str, int] = {}

    def fact_cols(row: dict[str, Any]) -> list[Any]:
        return [row["hash"], row["json"], recorded_at]

    lines = 0
    with contextlib.ExitStack() as stack, open(src, encoding="utf-8") as f:
        files = {
            name: stack.enter_context(_Csv(outdir / f"{name}.csv", header)) for name, (_, _, header) in spec.items()
        }
        for m in catalogue()["measures"]:
            files["measures"].row([m["code"]])
        for raw in f:
            raw = raw.removeprefix("\ufeff").rstrip("\r\n")
            if not raw.strip():
                continue
            lines += 1
            line = parse_line(raw)
            problem = line if isinstance(line, Rejection) else check_line_rules(line, today)
            if problem is not None:
                rejected[problem.code] = rejected.get(problem.code, 0) + 1
                continue
            fact = builder.build(line)
            kind, row = fact.kind, fact.row
            digest = int.from_bytes(hashlib.blake2b(f"{kind}|{fact.key}".encode(), digest_size=8).digest())
            content = int(row["hash"][:16], 16)
            if (before := seen.get(digest)) is not None:
                duplicates += 1
                conflicting += before != content
                continue
            seen[digest] = content
            props = row.get("props", {})
            if kind == "department":
                files["departments"].row([fact.key, props["name"], props["region"], *fact_cols(row)])
            elif kind == "entity":
                files["entities"].row(
                    [
                        fact.key,
                        *(
                            props.get(k)
                            for k in (
                                "name",
                                "form",
                                "status",
                                "region",
                                "industry",
                                "established",
                                "registeredCapital",
                                "address",
                            )
                        ),
                        *fact_cols(row),
                    ]
                )
            elif kind == "person":
                files["persons"].row(
                    [fact.key, props["name"], props["idType"], props["idMasked"], row["cipher"], *fact_cols(row)]
                )
            elif kind == "role":
                files["roles"].row(
                    [row["person"], row["entity"], row["role"], row["since"], props["until"], *fact_cols(row)]
                )
            elif kind == "holding":
                side, holder = ("e", row["holderEntity"]) if row["holderEntity"] else ("p", row["holderPerson"])
                files["holds_" + side].row(
                    [holder, row["entity"], props["ratio"], row["since"], props["until"], *fact_cols(row)]
                )
            elif kind == "branch":
                files["branch_of"].row([row["entity"], row["parent"], *fact_cols(row)])
            elif kind == "record":
                side = "e" if row["subjectEntity"] else "p"
                files["records"].row(
                    [
                        fact.key,
                        *(
                            props.get(k)
                            for k in (
                                "category",
                                "severity",
                                "decisionNo",
                                "decidedOn",
                                "publishedOn",
                                "summary",
                                "disclosure",
                                "polarity",
                            )
                        ),
                        "ACTIVE",
                        *fact_cols(row),
                    ]
                )
                files["has_record_" + side].row([row["subject"], fact.key])
                files["record_decided_by"].row([fact.key, row["department"]])
            elif kind == "listing":
                side = "e" if row["subjectEntity"] else "p"
                files["listings"].row(
                    [
                        fact.key,
                        props["list"],
                        props["since"],
                        props["until"],
                        props["measuresGiven"],
                        "ACTIVE",
                        *fact_cols(row),
                    ]
                )
                files["listed_on_" + side].row([row["subject"], fact.key])
                files["listing_decided_by"].row([fact.key, row["department"]])
                for record_id in row["basis"]:
                    files["based_on"].row([fact.key, record_id])
                for code in row["measures"]:
                    files["applies"].row([fact.key, code])
            elif kind == "commitment":
                files["commitments"].row(
                    [
                        fact.key,
                        *(props.get(k) for k in ("type", "matter", "madeOn", "dueOn", "status")),
                        *fact_cols(row),
                    ]
                )
                files["committed"].row([row["entity"], fact.key])
                files["made_to"].row([fact.key, row["department"]])
    args, rows = [], {}
    for name, (opt, label, _) in spec.items():
        rows[name] = files[name].rows
        if files[name].rows:
            args.append(f"--{opt}={label + '=' if label else ''}{files[name].path}")
    if any(f.multiline for f in files.values()):
        args.append("--multiline-fields=true")
    return {
        "args": args,
        "rows": rows,
        "lines": lines,
        "duplicates_dropped": duplicates,
        "conflicting_duplicates": conflicting,
        "rejected": rejected,
    }


# ---------------------------------------------------------------- neo4j-admin database import full


def ensure_bulk_home(bulk_env: dict[str, str]) -> None:
    home = Path(bulk_env["GRAPH_API_NEO4J_HOME"])
    if not (home / "data" / "dbms").exists():  # first start writes neo4j.conf and the auth store
        log(f"creating bulk home {home} (start once on port {bulk_env['GRAPH_API_NEO4J_BOLT_PORT']}, then stop)")
        check([GRAPH_API, "neo4j", "start"], bulk_env)
    check([GRAPH_API, "neo4j", "stop"], bulk_env)  # admin import needs the database offline


def admin_import(
    bulk_env: dict[str, str], csv_args: list[str], workdir: Path, tag: str, admin_heap: str, off_heap: str
) -> dict[str, Any]:
    from graph_api.ops import neo4j_server

    s = settings_for(bulk_env)
    jars, java = neo4j_server.install(s), neo4j_server.find_java(s)
    classpath = neo4j_server._prepare_home(s, jars)  # the server's own classpath (plugins dir + lib jars)
    home = Path(bulk_env["GRAPH_API_NEO4J_HOME"]).resolve()
    env = {**os.environ, "NEO4J_HOME": str(home), "NEO4J_CONF": str(home / "conf")}
    cmd = [
        str(java),
        f"-Xmx{admin_heap}",
        *neo4j_server.JVM_FLAGS,
        "-cp",
        classpath,
        "org.neo4j.cli.AdminTool",
        "database",
        "import",
        "full",
        "neo4j",
        "--overwrite-destination=true",
        f"--max-off-heap-memory={off_heap}",
        f"--report-file={workdir / f'admin-{tag}.report'}",
        *csv_args,
    ]  # --nodes/--relationships are
    # variadic: the database name goes before them, or it is taken for one more file
    res = run_measured(cmd, env, workdir / f"admin-{tag}.out", workdir / f"admin-{tag}.err", cwd=home)
    res["cmd"] = [
        "java",
        f"-Xmx{admin_heap}",
        "<JVM_FLAGS>",
        "-cp",
        "<home>/plugins/*:<jars>",
        "org.neo4j.cli.AdminTool",
        *cmd[cmd.index("database") :],
    ]
    if res["exit"] != 0:
        raise SystemExit(f"neo4j-admin import failed; see {res['stdout']} and {res['stderr']}")
    text = Path(res["stdout"]).read_text(errors="replace")
    if m := re.search(r"IMPORT DONE in ([^.]+)\.", text):  # the tool's own figure, without JVM start-up
        res["tool_s"] = sum(
            float(v) * {"h": 3600, "m": 60, "s": 1, "ms": 0.001}[u] for v, u in re.findall(r"(\d+)(ms|h|m|s)\b", m[1])
        )
    if m := re.search(r"Peak memory usage: ([\d.]+)GiB", text):
        res["tool_peak_gib"] = float(m[1])
    return res


# ---------------------------------------------------------------- the importer


def import_once(env: dict[str, str], path: Path, workdir: Path, tag: str) -> dict[str, Any]:
    rejects = workdir / f"rejects-{tag}.jsonl"
    res = run_measured(
        [GRAPH_API, "import", str(path), "--rejects", str(rejects), "--json"],
        env,
        workdir / f"import-{tag}.out",
        workdir / f"import-{tag}.err",
        server_pid=server_pid(env),
    )
    try:
        counts = json.loads(Path(res["stdout"]).read_text().strip().splitlines()[-1])["counts"]
    except (IndexError, ValueError, KeyError):
        raise SystemExit(f"import {tag} printed no JSON counts (exit {res['exit']}); see {res['stderr']}") from None
    totals = {k: sum(c[k] for c in counts.values()) for k in ("read", "created", "updated", "unchanged", "rejected")}
    with open(rejects, encoding="utf-8") as lines:
        reject_lines = sum(1 for _ in lines)
    res.update(counts=counts, totals=totals, rejects_file_lines=reject_lines)
    if res["exit"] != 0 or totals["rejected"] or reject_lines:
        raise SystemExit(f"import {tag}: exit {res['exit']}, {totals['rejected']} rejected; see {rejects}")
    return res


def wipe(env: dict[str, str]) -> None:
    check([GRAPH_API, "db", "wipe", "--yes"], env)


def wc_l(path: Path) -> int:
    return int(subprocess.run(["wc", "-l", str(path)], capture_output=True, text=True, check=True).stdout.split()[0])


# ---------------------------------------------------------------- report


def med(values: list[float]) -> float:
    return statistics.median(values)


def fmt_runs(values: list[float], digits: int = 1) -> str:
    if len(values) == 1:
        return f"{values[0]:.{digits}f}"
    return f"**{med(values):.{digits}f}** ({', '.join(f'{v:.{digits}f}' for v in values)})"


def markdown(results: dict[str, Any]) -> str:
    out = []
    m = results["machine"]
    out.append(
        f"Machine: {m['nproc']} cores ({m['cpu']}), load average at start {' '.join(m['loadavg'])}, "
        f"date {m['date']}, commit {m['commit']}, Python {m['python']}.\n"
    )
    out.append("| file | lines | run | n | wall s | lines/s | peak RSS MiB | importer CPU s | Neo4j CPU s |")
    out.append("|---|---:|---|---:|---:|---:|---:|---:|---:|")
    for f in results["files"]:
        for run_name, runs in (("first import (empty DB)", f["imports"]), ("re-run (all unchanged)", f["reruns"])):
            if not runs:
                continue
            walls = [r["wall_s"] for r in runs]
            out.append(
                f"| {f['name']} | {f['lines']:,} | {run_name} | {len(runs)} | {fmt_runs(walls)} | "
                f"{fmt_runs([f['lines'] / w for w in walls], 0)} | "
                f"{fmt_runs([r['peak_rss_mib'] for r in runs], 0)} | "
                f"{fmt_runs([r['cpu_s'] for r in runs])} | "
                f"{fmt_runs([r['server_cpu_s'] or 0 for r in runs])} |"
            )
    out.append("")
    if any(f.get("admin") for f in results["files"]):
        out.append(
            "| file | lines | CSV conversion s | neo4j-admin import s (wall) | its own 'IMPORT DONE' s | "
            "admin peak RSS MiB | importer s (first import) | importer / admin-import |"
        )
        out.append("|---|---:|---:|---:|---:|---:|---:|---:|")
        for f in results["files"]:
            if not f.get("admin"):
                continue
            admin = [r["wall_s"] for r in f["admin"]]
            imp = med([r["wall_s"] for r in f["imports"]]) if f["imports"] else None
            ratio = f"{imp / med(admin):.1f}×" if imp else "—"
            out.append(
                f"| {f['name']} | {f['lines']:,} | {f['conversion_s']:.1f} | {fmt_runs(admin)} | "
                f"{fmt_runs([r.get('tool_s', 0) for r in f['admin']])} | "
                f"{fmt_runs([r['peak_rss_mib'] for r in f['admin']], 0)} | "
                f"{f'{imp:.1f}' if imp else '—'} | {ratio} |"
            )
        out.append("")
    if results.get("bulk_check"):
        bc = results["bulk_check"]
        out.append(
            f"After the bulk import of {bc['file']}: `graph-api db migrate` (constraints, indexes, catalogue) "
            f"took {bc['migrate_s']:.1f} s; server start {bc['start_s']:.1f} s.\n"
        )
        out.append("| label / type | importer | neo4j-admin |")
        out.append("|---|---:|---:|")
        for name in (*DOMAIN_LABELS, *DOMAIN_TYPES):
            a, b = bc["importer_counts"].get(name, 0), bc["bulk_counts"].get(name, 0)
            out.append(f"| {name} | {a:,} | {b:,}{'' if a == b else ' ≠'} |")
        out.append("")
    return "\n".join(out)


# ---------------------------------------------------------------- main


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--entities-small", type=int, default=13_500, help="entities of the small file (~100k lines)")
    ap.add_argument("--entities-large", type=int, default=135_000, help="entities of the large file (~1M lines)")
    ap.add_argument("--seed", type=int, default=20240501)
    ap.add_argument("--repeat", type=int, default=3, help="imports of the small file (and admin imports per file)")
    ap.add_argument("--large-repeat", type=int, default=1, help="importer runs on the large file")
    ap.add_argument("--skip-large", action="store_true")
    ap.add_argument("--skip-bulk", action="store_true", help="no neo4j-admin comparison")
    ap.add_argument("--bulk-home", default="/tmp/bulk-home")
    ap.add_argument("--bulk-port", default="7791")
    ap.add_argument("--admin-heap", default="2g")
    ap.add_argument("--admin-off-heap", default="4g", help="--max-off-heap-memory of neo4j-admin (shared machine)")
    ap.add_argument("--workdir", type=Path, default=None, help="scratch dir (default: a new one under $TMPDIR)")
    ap.add_argument("--keep", action="store_true", help="keep the scratch dir (generated files, CSV, logs)")
    ap.add_argument("--json-out", type=Path, default=None)
    args = ap.parse_args()

    env = dict(os.environ)
    for k, v in BENCH_DEFAULTS.items():
        env.setdefault(k, v)
    env.pop("NEO4J_URI", None)
    env.pop("GRAPH_API_NEO4J_URI", None)
    if int(env["GRAPH_API_NEO4J_BOLT_PORT"]) in PROTECTED_PORTS or int(args.bulk_port) in PROTECTED_PORTS:
        raise SystemExit(f"refusing to benchmark on port {env['GRAPH_API_NEO4J_BOLT_PORT']}: not a bench server")
    bulk_env = {
        **env,
        "GRAPH_API_NEO4J_HOME": args.bulk_home,
        "GRAPH_API_NEO4J_BOLT_PORT": args.bulk_port,
        "GRAPH_API_NEO4J_HEAP": "2g",
        "GRAPH_API_NEO4J_PAGECACHE": "2g",
    }
    os.environ.update({k: env[k] for k in BENCH_DEFAULTS})  # for in-process Settings()

    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="import-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    log(f"scratch dir {workdir}; bench server {env['GRAPH_API_NEO4J_HOME']} on {env['GRAPH_API_NEO4J_BOLT_PORT']}")
    results: dict[str, Any] = {
        "machine": machine(),
        "args": {k: str(v) for k, v in vars(args).items()},
        "server": {k: env[k] for k in BENCH_DEFAULTS},
        "files": [],
    }
    check([GRAPH_API, "neo4j", "start"], env)

    sizes = [("small", args.entities_small)] + ([] if args.skip_large else [("large", args.entities_large)])
    for name, n in sizes:
        path = workdir / f"{name}-{n}.jsonl"
        cmd = [GRAPH_API, "seed", "--entities", str(n), "--seed", str(args.seed), "--out", str(path)]
        t0 = time.perf_counter()
        check(cmd, env)
        lines = wc_l(path)
        log(f"seeded {path.name}: {lines:,} lines in {time.perf_counter() - t0:.1f} s")
        results["files"].append(
            {
                "name": name,
                "entities": n,
                "path": str(path),
                "lines": lines,
                "bytes": path.stat().st_size,
                "seed_cmd": " ".join(cmd[1:]),
                "seed_s": time.perf_counter() - t0,
                "imports": [],
                "reruns": [],
            }
        )

    for f in results["files"]:
        path, repeats = Path(f["path"]), args.repeat if f["name"] == "small" else args.large_repeat
        for i in range(repeats):
            wipe(env)
            log(f"import {f['name']} #{i + 1} ({f['lines']:,} lines) ...")
            r = import_once(env, path, workdir, f"{f['name']}-{i + 1}")
            f["imports"].append(r)
            log(f"  {r['wall_s']:.1f} s, {f['lines'] / r['wall_s']:,.0f} lines/s, peak RSS {r['peak_rss_mib']:.0f} MiB")
            if f["name"] == "small":
                log(f"re-import {f['name']} #{i + 1} (idempotent re-run) ...")
                r2 = import_once(env, path, workdir, f"{f['name']}-{i + 1}-rerun")
                t = r2["totals"]
                if t["created"] or t["updated"] or t["unchanged"] != t["read"]:
                    raise SystemExit(f"re-run was not all unchanged: {t}")
                f["reruns"].append(r2)
                log(f"  {r2['wall_s']:.1f} s, all {t['unchanged']:,} unchanged")
        if f["name"] == sizes[-1][0]:
            f["importer_counts"] = graph_counts(env)

    if not args.skip_bulk:
        ensure_bulk_home(bulk_env)
        for f in results["files"]:
            csv_dir = workdir / f"csv-{f['name']}"
            t0 = time.perf_counter()
            conv = jsonl_to_csv(Path(f["path"]), csv_dir)
            f["conversion_s"] = time.perf_counter() - t0
            f["csv_rows"], f["csv_duplicates_dropped"] = conv["rows"], conv["duplicates_dropped"]
            log(f"converted {f['name']} to CSV in {f['conversion_s']:.1f} s ({conv['duplicates_dropped']} duplicates)")
            f["admin"] = []
            for i in range(args.repeat):
                r = admin_import(
                    bulk_env, conv["args"], workdir, f"{f['name']}-{i + 1}", args.admin_heap, args.admin_off_heap
                )
                f["admin"].append(r)
                log(
                    f"  neo4j-admin import {f['name']} #{i + 1}: {r['wall_s']:.1f} s,"
                    f" peak RSS {r['peak_rss_mib']:.0f} MiB"
                )
            f["admin_cmd"] = r["cmd"]
        last = results["files"][-1]
        t0 = time.perf_counter()
        check([GRAPH_API, "neo4j", "start"], bulk_env)
        start_s = time.perf_counter() - t0
        try:
            bulk_counts = graph_counts(bulk_env)
            t0 = time.perf_counter()
            check([GRAPH_API, "db", "migrate"], bulk_env)
            migrate_s = time.perf_counter() - t0
        finally:
            check([GRAPH_API, "neo4j", "stop"], bulk_env)
        results["bulk_check"] = {
            "file": last["name"],
            "importer_counts": last.get("importer_counts", {}),
            "bulk_counts": bulk_counts,
            "start_s": start_s,
            "migrate_s": migrate_s,
        }

    results["machine"]["loadavg_end"] = Path("/proc/loadavg").read_text().split()[:3]
    json_out = args.json_out or workdir / "results.json"
    json_out.write_text(json.dumps(results, indent=2, ensure_ascii=False, default=str))
    print(markdown(results))
    print(f"\nload average at end: {' '.join(results['machine']['loadavg_end'])}; raw figures: {json_out}")
    if not args.keep and args.workdir is None:
        for p in workdir.iterdir():  # keep results.json and the logs; drop the bulky data
            if p.is_dir():
                shutil.rmtree(p)
            elif p.suffix in (".jsonl", ".csv"):
                p.unlink()


if __name__ == "__main__":
    main()
