"""Industry credit evaluations (行业信用评价): a department defines its grade scheme (versioned), evaluates
the entities it supervises as of a day, and publishes the results (graph_api/domain/industry.py states
the rules). The facts are read before the write transaction, as a draw reads its grades."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from graph_api.domain import industry
from graph_api.domain.actor import Actor
from graph_api.domain.grading import region_prefix
from graph_api.domain.refusals import Refused, check_department
from graph_api.errors import BadUserInput, NotFound
from graph_api.services.inputs import day_done
from graph_api.services.reads import Read, store_reader
from graph_api.services.trail import NO_TRAIL, Trail, write
from graph_api.services.unit_of_work import Store, Tx
from graph_api.store.cypher_loader import queries

_ID = re.compile(r"^[A-Za-z0-9_.-]{1,64}$")
PAGE = 5000


@dataclass(frozen=True)
class SchemeRequest:
    id: str  # 1 to 64 letters, digits, '.', '_' or '-'; a new version when it exists
    rules: str  # the scheme as JSON (domain/industry.py)


@dataclass(frozen=True)
class EvaluateRequest:
    scheme: str
    as_of: dt.date
    version: int | None = None  # default: the latest


@dataclass(frozen=True)
class PublishRequest:
    id: str  # the evaluation's id


def evaluation_id(scheme: str, version: int, as_of: dt.date) -> str:
    return f"{scheme}@{version}/{as_of.isoformat()}"


async def define_scheme(store: Store, actor: Actor, request: SchemeRequest, trail: Trail = NO_TRAIL) -> dict[str, Any]:
    """Store a scheme's rules as its next version (1 when new; rules equal to the latest version's leave it
    the latest); the scheme belongs to the department that first defined it."""
    department = actor.officer()
    if not _ID.match(request.id):
        raise BadUserInput("id must have 1 to 64 letters, digits, '.', '_' or '-'", field="id")
    scheme = industry.parse(request.rules)
    rules = industry.canonical(scheme)
    digest = hashlib.sha256(rules.encode("utf-8")).hexdigest()

    async def work(tx: Tx) -> dict[str, Any]:
        at = dt.datetime.now(dt.UTC)
        row = await tx.one(queries.industry_scheme_lock, department=department, id=request.id, at=at)
        if row is None:
            raise Refused("UNKNOWN_DEPARTMENT", f"department {department} is not in the graph")
        latest = row["latest"]
        if latest is not None:
            check_department(department, latest["department"], f"scheme {request.id}", "belongs to", "id")
            if latest["digest"] == digest:  # the same rules again: the version stands, nothing is written
                return dict(latest)
        version = 1 if latest is None else latest["version"] + 1
        props = {"id": request.id, "version": version, "department": department, "name": scheme.name}
        created = await tx.single(
            queries.industry_scheme_create, key=f"{request.id}@{version}", rules=rules, digest=digest, at=at, **props
        )
        tx.changed(
            created["nodeId"],
            "IndustryScheme",
            f"{request.id}@{version}",
            None,
            f"industry scheme {request.id} version {version} defined by {department}",
            None,
            {**props, "digest": digest},
        )
        return {**props, "rules": rules, "digest": digest, "definedAt": at}

    return await write(store, actor, "defineIndustryScheme", work, trail)


async def scheme_of(read: Read, scheme: str, version: int | None = None) -> dict[str, Any]:
    rows = await read(queries.industry_scheme_by_id, id=scheme, version=version)
    if not rows:
        raise NotFound(f"no industry scheme {scheme!r}" + (f" version {version}" if version else ""), id=scheme)
    return {**dict(rows[0]["scheme"]), "region": rows[0]["region"]}


async def evaluate(
    store: Store, actor: Actor, request: EvaluateRequest, trail: Trail = NO_TRAIL, *, read: Read | None = None
) -> dict[str, Any]:
    """Evaluate the entities the scheme covers as of the day and store the results (not yet published)."""
    department = actor.officer()
    day_done(request.as_of, "asOf")
    read = read or store_reader(store)
    s = await scheme_of(read, request.scheme, request.version)
    check_department(department, s["department"], f"scheme {request.scheme}", "belongs to", "scheme")
    rules = industry.Scheme.model_validate_json(s["rules"])
    results = []
    after = ""
    while True:
        page = await read(
            queries.industry_facts_page,
            after=after,
            limit=PAGE,
            regionPrefix=region_prefix(s["region"]) or "",
            industries=rules.industries,
            department=department,
            asOf=request.as_of,
            windowStart=industry.window_start(rules, request.as_of),
        )
        for f in page:
            r = industry.evaluate(rules, f["uscc"], f)
            reasons = json.dumps([x.as_dict() for x in r.reasons], ensure_ascii=False, sort_keys=True)
            results.append({"uscc": r.uscc, "grade": r.grade, "score": r.score, "reasons": reasons})
        if len(page) < PAGE:
            break
        after = page[-1]["uscc"]
    version = s["version"]
    ev_id = evaluation_id(request.scheme, version, request.as_of)

    async def work(tx: Tx) -> dict[str, Any]:
        at = dt.datetime.now(dt.UTC)
        params = {"scheme": request.scheme, "version": version, "id": ev_id}
        lock = await tx.lock(queries.industry_scheme_version_lock, f"industry scheme {request.scheme}", at=at, **params)
        if lock["exists"]:
            raise Refused("DUPLICATE_ID", f"{ev_id} has been evaluated already", field="asOf")
        row = await tx.single(queries.industry_evaluation_create, asOf=request.as_of, at=at, results=results, **params)
        tx.changed(
            row["nodeId"],
            "IndustryEvaluation",
            ev_id,
            None,
            f"industry evaluation {ev_id}: {len(results)} entities",
            None,
            {**params, "asOf": request.as_of.isoformat(), "count": len(results)},
        )
        by_grade: dict[str, int] = defaultdict(int)
        for x in results:
            by_grade[str(x["grade"])] += 1
        return {
            "id": ev_id,
            "scheme": request.scheme,
            "version": version,
            "department": department,
            "asOf": request.as_of,
            "status": "EVALUATED",
            "count": len(results),
            "createdAt": at,
            "publishedAt": None,
            "byGrade": dict(by_grade),
        }

    return await write(store, actor, "evaluateIndustry", work, trail)


async def publish(store: Store, actor: Actor, request: PublishRequest, trail: Trail = NO_TRAIL) -> dict[str, Any]:
    """Publish an evaluation: from then on other departments read its grades beside the public grade."""
    department = actor.officer()

    async def work(tx: Tx) -> dict[str, Any]:
        at = dt.datetime.now(dt.UTC)
        row = await tx.lock(queries.industry_evaluation_lock, f"industry evaluation {request.id}", id=request.id, at=at)
        ev = dict(row["evaluation"])
        check_department(department, ev["department"], f"evaluation {request.id}", "belongs to", "id")
        if ev["status"] == "PUBLISHED":
            raise Refused("ALREADY_PUBLISHED", f"{request.id} has been published already", field="id")
        await tx.single(queries.industry_evaluation_publish, id=request.id, at=at)
        tx.changed(row["nodeId"], "IndustryEvaluation", request.id, None, f"{request.id} published", None, {})
        return {**ev, "status": "PUBLISHED", "publishedAt": at}

    return await write(store, actor, "publishIndustryEvaluation", work, trail)


async def evaluation_by_grade(read: Read, evaluation: str, region: str) -> dict[str, list[str]]:
    by_grade: dict[str, list[str]] = defaultdict(list)
    for r in await read(queries.industry_evaluation_grades, id=evaluation, regionPrefix=region_prefix(region) or ""):
        by_grade[r["grade"]].append(r["uscc"])
    return by_grade


async def published_by_grade(read: Read, scheme: str, as_of: dt.date, region: str) -> tuple[str, dict[str, list[str]]]:
    """The latest published evaluation of the scheme on or before the day, and its grades in the region."""
    rows = await read(queries.industry_evaluation_for_draw, scheme=scheme, asOf=as_of)
    if not rows:
        raise Refused(
            "NOT_FOUND", f"no published evaluation of industry scheme {scheme} on or before {as_of}", "gradeScheme"
        )
    return rows[0]["id"], await evaluation_by_grade(read, rows[0]["id"], region)
