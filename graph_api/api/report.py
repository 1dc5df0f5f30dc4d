"""The credit report (信用报告) of an entity as an HTML page that prints on A4: basic facts, grade and
reasons, public records within their publicity period, listings and measures in force, related risk.
Everything shown is escaped; no external assets. The page reads no credential: it is the public's, so
persons appear as the public sees them in GraphQL (names masked by domain/masking.py, identity numbers
masked) and records only while the publication rules say they are published (cypher/report.cypher)."""

from __future__ import annotations

import datetime as dt
from html import escape
from typing import Any

import neo4j
from starlette.requests import Request
from starlette.responses import HTMLResponse

from graph_api.api.graphql.error_mapping import as_api_error
from graph_api.domain import disclosure
from graph_api.domain.actor import PUBLIC
from graph_api.domain.clock import today
from graph_api.domain.grading import Graded, fact_params, grade_of
from graph_api.domain.identifiers import InvalidIdentifier, validate_uscc
from graph_api.domain.labels import label
from graph_api.domain.masking import mask_name
from graph_api.domain.permissions import record_params
from graph_api.errors import DatabaseUnavailable, ServiceSaturated
from graph_api.store.cypher_loader import queries
from graph_api.store.rows import (
    ExposureEntityRow,
    ReportEntityRow,
    ReportPublicRecordsRow,
    ResponsiblePersonsBoundElsewhereRow,
)
from graph_api.store.run import run
from graph_api.store.statement import Row, Statement

CSS = """
body{font-family:"Noto Serif CJK SC","Songti SC",serif;margin:2em auto;max-width:52em;color:#111;line-height:1.45}
h1{font-size:1.6em;border-bottom:2px solid #111;padding-bottom:.2em}h2{font-size:1.15em;margin-top:1.4em}
table{border-collapse:collapse;width:100%;font-size:.92em}
th,td{border:1px solid #999;padding:.25em .45em;text-align:left;vertical-align:top}
th{background:#eee}.grade{font-size:2.2em;font-weight:bold}.muted{color:#555}.none{color:#555;font-style:italic}
@media print{@page{size:A4;margin:18mm 15mm}body{margin:0;max-width:none;font-size:10.5pt}
h2{page-break-after:avoid}tr{page-break-inside:avoid}th{background:#eee;-webkit-print-color-adjust:exact;print-color-adjust:exact}}
"""


def e(value: Any) -> str:
    if value is None:
        return ""
    return escape(str(value.to_native() if hasattr(value, "to_native") else value))


def _page(title: str, body: str, status: int) -> HTMLResponse:
    html = (
        f'<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>{e(title)}</title>'
        f"<style>{CSS}</style></head><body>{body}</body></html>"
    )
    return HTMLResponse(html, status_code=status)


def _table(headers: list[str], rows: list[list[Any]], empty: str) -> str:
    if not rows:
        return f'<p class="none">{e(empty)}</p>'
    head = "".join(f"<th>{e(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{e(c)}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


async def report_page(request: Request, driver: neo4j.AsyncDriver, database: str) -> HTMLResponse:
    """The page, or a page saying why not: 400 for a malformed code or day, 404, and 503 with Retry-After
    while the database is unavailable or the service saturated (the GraphQL answers' classification)."""
    try:
        return await _report(request, driver, database)
    except (neo4j.exceptions.Neo4jError, neo4j.exceptions.DriverError, OSError) as err:
        failure = as_api_error(err)
        if isinstance(failure, ServiceSaturated):
            page = _page("服务繁忙", "<h1>503 服务繁忙</h1><p>请求较多，请稍后重试。</p>", 503)
            page.headers["Retry-After"] = "1"
            return page
        if isinstance(failure, DatabaseUnavailable):
            page = _page("暂不可用", "<h1>503 暂不可用</h1><p>信用数据库暂时无法访问，请稍后重试。</p>", 503)
            page.headers["Retry-After"] = "5"
            return page
        raise


async def _report(request: Request, driver: neo4j.AsyncDriver, database: str) -> HTMLResponse:
    try:
        uscc = validate_uscc(request.path_params["uscc"])
    except InvalidIdentifier as err:
        return _page("无效的统一社会信用代码", f"<h1>400 无效的统一社会信用代码</h1><p>{e(err.message)}</p>", 400)
    raw = request.query_params.get("asOf")
    try:
        as_of = dt.date.fromisoformat(raw) if raw else today()
    except ValueError:
        return _page("无效的日期", f"<h1>400 无效的日期</h1><p>asOf {e(raw)} is not a date YYYY-MM-DD</p>", 400)

    async def read(statement: Statement[Row], **params: Any) -> list[Row]:
        return await run(driver, statement, database_=database, routing_=neo4j.RoutingControl.READ, **params)

    head = await read(queries.report_entity, uscc=uscc, asOf=as_of)
    if not head:
        return _page("未找到", f"<h1>404 未找到市场主体</h1><p>没有统一社会信用代码为 {e(uscc)} 的市场主体。</p>", 404)
    # the public's view, as GraphQL gives it to the public, on the report's day
    seen = record_params(PUBLIC, as_of)
    facts = (await read(queries.grade_facts, keys=[uscc], **fact_params(as_of, seen)))[0]
    graded = grade_of(uscc, facts["listings"], facts["records"], as_of)
    hidden = frozenset(r["id"] for r in facts["records"] if not r["disclosed"])
    graded = Graded(graded.uscc, graded.grade, disclosure.grade_reasons(graded.reasons, hidden))
    records = await read(queries.report_public_records, uscc=uscc, asOf=as_of)
    listings = await read(queries.exposure_entity, uscc=uscc, asOf=as_of, **seen)
    related = await read(queries.responsible_persons_bound_elsewhere, uscc=uscc, asOf=as_of)
    return _page(
        f"信用报告 {head[0]['entity']['name']}", _body(head[0], graded, records, listings, related, as_of), 200
    )


def _body(
    head: ReportEntityRow,
    graded: Graded,
    records: list[ReportPublicRecordsRow],
    listings: list[ExposureEntityRow],
    related: list[ResponsiblePersonsBoundElsewhereRow],
    as_of: dt.date,
) -> str:
    ent = head["entity"]
    facts = [
        ["统一社会信用代码", ent["uscc"]],
        ["名称", ent["name"]],
        ["组织形式", label("EntityForm", ent["form"])],
        ["登记状态", label("EntityStatus", ent["status"])],
        ["行政区划", ent["region"]],
        ["行业", ent["industry"]],
        ["成立日期", ent["established"]],
        ["注册资本（元）", ent["registeredCapital"]],
        ["住所", ent["address"]],
    ]
    measures = sorted({(m["nameZh"] or m["name"], row["listing"]["id"]) for row in listings for m in row["measures"]})
    parts = [
        f'<h1>信用报告</h1><p class="muted">截至 {e(as_of)} · 生成于 {e(today())}</p>',
        "<h2>一、基本信息</h2>",
        _table(["项目", "内容"], facts, ""),
        "<h2>二、负责人员</h2>",
        _table(
            ["姓名", "证件号码（脱敏）", "身份", "自"],
            [[mask_name(p["name"]), p["idMasked"], label("RoleType", p["role"]), p["since"]] for p in head["people"]],
            "无",
        ),
        "<h2>三、信用等级</h2>",
        f'<p><span class="grade">{e(graded.grade)}</span></p>',
        _table(
            ["依据", "记录", "名单"],
            [[label("GradeReasonCode", r.code), r.record_id, r.listing_id] for r in graded.reasons],
            "",
        ),
        "<h2>四、公示信息</h2>",
        _table(
            ["编号", "类别", "严重程度", "决定日期", "文书号", "认定部门", "摘要"],
            [
                [
                    r["record"]["id"],
                    label("RecordCategory", r["record"]["category"]),
                    label("Severity", r["record"]["severity"]) if r["record"]["severity"] else None,
                    r["record"]["decidedOn"],
                    r["record"]["decisionNo"],
                    r["department"],
                    r["record"]["summary"],
                ]
                for r in records
            ],
            "无公示信息",
        ),
        "<h2>五、名单</h2>",
        _table(
            ["名单编号", "名单", "列入日期", "移出日期", "认定部门"],
            [
                [
                    x["listing"]["id"],
                    label("ListCode", x["listing"]["list"]),
                    x["listing"]["since"],
                    x["listing"]["until"],
                    x["department"]["name"],
                ]
                for x in listings
            ],
            "未列入名单",
        ),
        "<h2>六、在执行的措施</h2>",
        _table(["措施", "依据名单"], [list(m) for m in measures], "无"),
        "<h2>七、关联风险</h2>",
        _table(
            ["人员", "证件号码（脱敏）", "现任身份", "关联主体", "关联主体统一社会信用代码", "名单"],
            [
                [
                    mask_name(x["person"]["name"]),
                    x["person"]["idMasked"],
                    label("RoleType", x["currentRole"]),
                    x["via"]["name"],
                    x["via"]["uscc"],
                    x["listing"]["id"],
                ]
                for x in related
            ],
            "未发现关联风险",
        ),
        '<p class="muted">本报告依据截至上述日期归集的信用信息生成；等级规则见 grades.json。</p>',
    ]
    return "".join(parts)
