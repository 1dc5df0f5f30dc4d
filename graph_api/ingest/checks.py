"""The checks a batch of the importer makes inside its transaction, against what the graph already
holds: references exist, listings rest on fitting records, holdings stay within 100% per date."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from typing import Any

import neo4j

from graph_api.domain.holdings import Stake, first_excess
from graph_api.domain.listing_basis import BasisRecord, basis_problem
from graph_api.ingest.interchange import Rejection
from graph_api.store.cypher_loader import queries
from graph_api.store.run import run_sync


def reference_problems(tx: neo4j.ManagedTransaction, kind: str, items: list[Any]) -> dict[int, Rejection]:
    wanted: dict[str, set[str]] = defaultdict(set)
    for item in items:
        refs = item.fact.refs
        wanted["entities"] |= refs.entities
        wanted["persons"] |= set(refs.persons)
        wanted["departments"] |= refs.departments
        wanted["records"] |= refs.records
        wanted["measures"] |= refs.measures
    found = run_sync(
        tx,
        queries.import_existing_keys,
        entities=sorted(wanted["entities"]),
        persons=sorted(wanted["persons"]),
        departments=sorted(wanted["departments"]),
        records=sorted(wanted["records"]),
        measures=sorted(wanted["measures"]),
    )[0]
    known = Known(
        set(found["entities"]),
        set(found["persons"]),
        set(found["departments"]),
        set(found["measures"]),
        {r["id"]: BasisFacts(r["subject"], r["polarity"], r["decidedOn"].to_native()) for r in found["records"]},
    )
    return problems_against(known, kind, items)


@dataclass(frozen=True, slots=True)
class BasisFacts:
    """What a listing's check needs of a record it rests on."""

    subject: str
    polarity: str
    decided_on: dt.date


@dataclass
class Known:
    """The keys a line may refer to: looked up in the graph by a batch, or collected by the bulk import."""

    entities: AbstractSet[str]
    persons: AbstractSet[str]
    departments: AbstractSet[str]
    measures: AbstractSet[str]
    records: Mapping[str, BasisFacts]


def problems_against(known: Known, kind: str, items: list[Any]) -> dict[int, Rejection]:
    entities, persons, departments = known.entities, known.persons, known.departments
    measures, records = known.measures, known.records
    problems: dict[int, Rejection] = {}
    for item in items:
        refs, row, what = item.fact.refs, item.fact.row, f"{kind} line"
        missing = [f"entity {u}" for u in sorted(refs.entities - entities)]
        missing += [f"person {masked}" for h, masked in sorted(refs.persons.items()) if h not in persons]
        if missing:
            noun = "ENTITY" if any(m.startswith("entity") for m in missing) else "PERSON"
            problems[id(item)] = Rejection(
                f"UNKNOWN_{noun}",
                f"{what}: {', '.join(missing)} is not known; "
                f"import its {missing[0].split()[0]} line first (in this or an earlier file)",
                kind,
            )
            continue
        if refs.departments - departments:
            code = sorted(refs.departments - departments)[0]
            problems[id(item)] = Rejection(
                "UNKNOWN_DEPARTMENT",
                f"{what}: department {code!r} is not known; import its department line first",
                kind,
            )
            continue
        if refs.measures - measures:
            problems[id(item)] = Rejection(
                "UNKNOWN_MEASURE",
                f"{what}: measure(s) {', '.join(sorted(refs.measures - measures))} are not in the measure catalogue",
                kind,
            )
            continue
        if kind == "listing":
            problem = _basis_problem(row, records)
            if problem:
                problems[id(item)] = Rejection(problem[0], f"{what}: {problem[1]}", kind)
    return problems


def _basis_problem(row: dict[str, Any], records: Mapping[str, BasisFacts]) -> tuple[str, str] | None:
    basis = [
        BasisRecord(rid, False)
        if (r := records.get(rid)) is None
        else BasisRecord(rid, True, r.subject, None, r.polarity, r.decided_on)
        for rid in row["basis"]
    ]
    problem = basis_problem(row["list"], row["subject"], row["since"], basis, require_active=False)
    if problem is None:
        return None
    hint = "; import its record line first" if problem.code == "BASIS_NOT_FOUND" else ""
    return problem.code, problem.message + hint


def holding_problems(tx: neo4j.ManagedTransaction, items: list[Any]) -> dict[int, Rejection]:
    stakes: dict[str, list[Stake]] = defaultdict(list)
    entities = sorted({i.fact.row["entity"] for i in items})
    for r in run_sync(tx, queries.import_holdings_of, entities=entities):
        until = r["until"].to_native() if r["until"] is not None else None
        stakes[r["entity"]].append(Stake(r["holder"], r["since"].to_native(), until, r["ratio"]))
    return holding_problems_against(stakes, items)


def holding_problems_against(stakes: dict[str, list[Stake]], items: list[Any]) -> dict[int, Rejection]:
    """Checks the holdings in order against `stakes` (entity -> its holdings), which gains each good one."""
    problems: dict[int, Rejection] = {}
    for item in items:
        row = item.fact.row
        new = Stake(row["holder"], row["since"], row["props"]["until"], row["props"]["ratio"])
        excess = first_excess(stakes[row["entity"]], new)
        if excess:
            day, total = excess
            problems[id(item)] = Rejection(
                "HOLDINGS_EXCEED_100",
                f"holding line: the holdings of {row['entity']} would add up to {total:.2%} "
                f"on {day} with this {new.ratio:.2%}; correct the ratio or end an earlier holding with 'until'",
                "holding",
            )
            continue
        stakes[row["entity"]] = [
            s for s in stakes[row["entity"]] if not (s.holder == new.holder and s.since == new.since)
        ] + [new]
    return problems
