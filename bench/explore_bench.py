#!/usr/bin/env python3
"""Workbench bench (issue 14, deliver 9): how fast /explore feels, in Debian's Chromium driven by Playwright,
against a running service.

    .venv/bin/python bench/explore_bench.py --url http://127.0.0.1:8016 [--runs 20] [--query 商贸]
        [--subjects 20] [--nodes 500] [--token JWT --purpose 事由] [--md-out F] [--json-out F]
        [--screenshots DIR]

Three measures, each over `--runs` runs:
- first paint: a fresh browser context (no cache) opens /explore; the first contentful paint and the moment the
  page is ready (labels loaded, the reader known: `body[data-ready]`), both from the page's own clock;
- open and expand: the page opens one entity from the search (its neighbourhood drawn), then expands a
  neighbouring firm from the node list; the page times both itself (`window.workbench.timings`: request,
  merge and layout until the drawing is updated). The subjects are the first `--subjects` entities the
  search for `--query` finds, each used in turn, so runs do not repeat one neighbourhood;
- 500 nodes: the page's own merge (the same code a neighbourhood goes through: elements, the cose layout,
  the node list) of a generated drawing of `--nodes` nodes and as many edges, then the frames per second of a
  one-second zoom animation over it.
Without --token the page reads as the public (no personal read, so nothing is written to the audit trail).
Reported: p50 and p90 of each, the machine's load average, Markdown on stdout (and --md-out)."""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import httpx
from playwright.sync_api import Browser, Page, sync_playwright

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SEARCH = "query($q: String!, $n: Int!) { search(query: $q, first: $n) { edges { node { kind key name } } } }"
HOOD = "query($u: USCC!) { neighborhood(node: {uscc: $u}, hops: 1, limit: 200) { nodes { kind key } } }"
# A step the page timed, or its error line: a failed request must end the wait, not time it out.
SETTLED = """n => window.workbench.timings.length >= n
              || document.getElementById('status').textContent.startsWith('出错了')"""

# A drawing of n nodes and n edges in the shape a neighbourhood answers: a tree of firms under one centre, a
# person on every fifth, plus cross links so the layout has cycles to settle.
SYNTHETIC = """n => {
  const nodes = [], edges = [];
  for (let i = 0; i < n; i++) {
    const person = i % 5 === 4;
    nodes.push({ kind: person ? 'PERSON' : 'ENTITY', key: `bench-${i}`, id: null, name: `${person ? '人' : '主体'}${i}`,
                 listed: i % 37 === 0, bound: person && i % 3 === 0 });
    if (i > 0) edges.push({ relation: person ? 'DIRECTOR' : 'HOLDS', fromKey: `bench-${Math.floor((i - 1) / 4)}`,
                            toKey: `bench-${i}`, since: '2020-01-01', until: null, ratio: person ? null : 0.5 });
  }
  for (let i = 7; edges.length < n; i += 7) edges.push({ relation: 'HOLDS', fromKey: `bench-${i}`,
      toKey: `bench-${(i * 13) % n}`, since: '2021-01-01', until: null, ratio: 0.1 });
  const g = window.workbench.graph;
  g.cy.elements().remove(); g.opened.clear(); g.truncated.clear();
  const t0 = performance.now();
  g.merge([{ center: 'bench-0', truncated: false, nodes, edges }], null);
  return new Promise(resolve => requestAnimationFrame(() => resolve({ merge: performance.now() - t0,
      nodes: g.cy.nodes().length, edges: g.cy.edges().length })));
}"""

FPS = """() => new Promise(resolve => {
  const cy = window.workbench.graph.cy; let frames = 0; const t0 = performance.now();
  const tick = () => { frames++; if (performance.now() - t0 < 1000) requestAnimationFrame(tick); };
  requestAnimationFrame(tick);
  cy.animate({ zoom: cy.zoom() * 2, duration: 500 }).delay(0).animate({ zoom: cy.zoom(), duration: 500 });
  setTimeout(() => resolve(frames / ((performance.now() - t0) / 1000)), 1050);
})"""


def pct(values: list[float], p: float) -> float:
    """Nearest-rank percentile (p in 0..100)."""
    s = sorted(values)
    k = max(0, min(len(s) - 1, -(-len(s) * p // 100) - 1))
    return s[int(k)]


def summary(values: list[float]) -> dict[str, float | int]:
    if not values:
        return {"n": 0}
    return {"n": len(values), "p50": round(statistics.median(values), 1), "p90": round(pct(values, 90), 1)}


class Reader:
    """One browser context as the reader: the credential (if any) in the tab's sessionStorage, as sign-in keeps it."""

    def __init__(self, browser: Browser, url: str, token: str | None, purpose: str):
        self.browser, self.url, self.token, self.purpose = browser, url, token, purpose

    def page(self) -> Page:
        context = self.browser.new_context(viewport={"width": 1400, "height": 900}, locale="zh-CN")
        if self.token:
            credential = json.dumps({"kind": "bearer", "secret": self.token, "purpose": self.purpose})
            context.add_init_script(f"sessionStorage.setItem('explore.credential', {json.dumps(credential)})")
        return context.new_page()


def first_paint(reader: Reader) -> tuple[float, float]:
    page = reader.page()
    try:
        page.goto(f"{reader.url}/explore", wait_until="load")
        page.wait_for_selector("body[data-ready=true]", timeout=60_000)
        fcp, ready = page.evaluate(
            """() => [performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN,
                     performance.now()]"""
        )
        return float(fcp), float(ready)
    finally:
        page.context.close()


def open_and_expand(reader: Reader, subject: dict[str, str], shots: Path | None) -> tuple[float, float | None]:
    page = reader.page()
    try:
        page.goto(f"{reader.url}/explore", wait_until="load")
        page.wait_for_selector("body[data-ready=true]", timeout=60_000)
        page.fill("#search", subject["name"])
        page.click(f'#results button.hit[data-key="{subject["key"]}"]', timeout=60_000)
        page.wait_for_function(SETTLED, arg=1, timeout=60_000)
        # a neighbouring firm, a listed one if there is (its card then has listings for the case file)
        other = page.evaluate(
            """key => { const firms = window.workbench.graph.cy.nodes('[kind="ENTITY"]').filter(n => n.id() !== key);
                 return (firms.filter('[?listed]')[0] ?? firms[0])?.id() ?? null; }""",
            subject["key"],
        )
        expand = None
        if other:
            page.click(f'#nodes button[data-key="{other}"]')
            page.wait_for_function(SETTLED, arg=2, timeout=60_000)
            expand = page.evaluate("() => window.workbench.timings[1]?.ms ?? null")
        if shots:
            page.screenshot(path=str(shots / "workbench-expanded.png"))
            with page.context.expect_page(timeout=60_000) as opened:
                page.click("#case-file")
            opened.value.wait_for_selector("h1", timeout=60_000)
            opened.value.screenshot(path=str(shots / "workbench-case-file.png"))
        opened = page.evaluate("() => window.workbench.timings[0]?.ms ?? null")
        if opened is None:
            raise SystemExit(f"opening {subject['key']} failed: {page.inner_text('#status')}")
        return float(opened), expand
    finally:
        page.context.close()


def big_drawing(reader: Reader, nodes: int, shots: Path | None) -> tuple[float, float]:
    page = reader.page()
    try:
        page.goto(f"{reader.url}/explore", wait_until="load")
        page.wait_for_selector("body[data-ready=true]", timeout=60_000)
        drawn = page.evaluate(SYNTHETIC, nodes)
        assert drawn["nodes"] == nodes, drawn
        fps = page.evaluate(FPS)
        if shots:
            page.screenshot(path=str(shots / f"workbench-{nodes}-nodes.png"))
        return float(drawn["merge"]), float(fps)
    finally:
        page.context.close()


def subjects(url: str, query: str, n: int) -> list[dict[str, str]]:
    """Up to n entities the search finds that have another entity in their neighbourhood (one to expand)."""

    def ask(document: str, **variables: Any) -> dict[str, Any]:
        data: dict[str, Any] = httpx.post(
            f"{url}/graphql", json={"query": document, "variables": variables}, timeout=60
        ).json()
        return data["data"]

    hits = [
        e["node"] for e in ask(SEARCH, q=query, n=max(50, 3 * n))["search"]["edges"] if e["node"]["kind"] == "ENTITY"
    ]
    found = []
    for hit in hits:
        nodes = ask(HOOD, u=hit["key"])["neighborhood"]["nodes"]
        if any(x["kind"] == "ENTITY" and x["key"] != hit["key"] for x in nodes):
            found.append(hit)
        if len(found) == n:
            break
    if not found:
        raise SystemExit(f"the search for {query!r} found no entity with a neighbouring firm")
    return found


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--url", required=True, help="the running service, e.g. http://127.0.0.1:8016")
    ap.add_argument("--runs", type=int, default=20)
    ap.add_argument("--query", default="商贸", help="the search whose entities are opened and expanded")
    ap.add_argument("--subjects", type=int, default=20)
    ap.add_argument("--nodes", type=int, default=500)
    ap.add_argument("--token", help="a bearer token to read as (default: the public)")
    ap.add_argument("--purpose", default="工作台性能测试")
    ap.add_argument("--label", default="", help="the city's name in the report")
    ap.add_argument("--md-out", type=Path)
    ap.add_argument("--json-out", type=Path)
    ap.add_argument("--screenshots", type=Path)
    args = ap.parse_args()
    url = args.url.rstrip("/")
    if args.screenshots:
        args.screenshots.mkdir(parents=True, exist_ok=True)
    picked = subjects(url, args.query, args.subjects)
    load_before = os.getloadavg()
    paints: list[float] = []
    readies: list[float] = []
    opens: list[float] = []
    expands: list[float] = []
    merges: list[float] = []
    fpss: list[float] = []
    started = time.time()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        try:
            reader = Reader(browser, url, args.token, args.purpose)
            first_paint(reader)  # one unmeasured visit: the service's first answers (labels, plans) are not the page's
            for i in range(args.runs):
                fcp, ready = first_paint(reader)
                paints.append(fcp)
                readies.append(ready)
                opened, expanded = open_and_expand(
                    reader, picked[i % len(picked)], args.screenshots if i == 0 else None
                )
                opens.append(opened)
                if expanded is not None:
                    expands.append(expanded)
                merge, fps = big_drawing(reader, args.nodes, args.screenshots if i == 0 else None)
                merges.append(merge)
                fpss.append(fps)
                print(
                    f"run {i + 1}: paint {fcp:.0f} ms, ready {ready:.0f}, open {opened:.0f}, expand {expanded}, "
                    f"{args.nodes} nodes {merge:.0f} ms, {fps:.0f} fps",
                    file=sys.stderr,
                    flush=True,
                )
        finally:
            browser.close()
    load_after = os.getloadavg()
    result: dict[str, Any] = {
        "url": url,
        "label": args.label,
        "reader": "token" if args.token else "PUBLIC",
        "runs": args.runs,
        "query": args.query,
        "subjects": len(picked),
        "seconds": round(time.time() - started),
        "load_before": [round(x, 1) for x in load_before],
        "load_after": [round(x, 1) for x in load_after],
        "first_contentful_paint_ms": summary(paints),
        "ready_ms": summary(readies),
        "open_ms": summary(opens),
        "expand_ms": summary(expands),
        f"merge_{args.nodes}_nodes_ms": summary(merges),
        "zoom_fps": summary(fpss),
    }
    rows = [
        ("first contentful paint", "ms", result["first_contentful_paint_ms"]),
        ("page ready (labels, reader)", "ms", result["ready_ms"]),
        ("open an entity (search hit → drawn)", "ms", result["open_ms"]),
        ("expand a neighbour", "ms", result["expand_ms"]),
        (f"merge + layout of {args.nodes} nodes", "ms", result[f"merge_{args.nodes}_nodes_ms"]),
        (f"zoom animation over {args.nodes} nodes", "fps", result["zoom_fps"]),
    ]
    md = [
        f"{args.label or url}: {args.runs} runs, reader {result['reader']}, subjects: the first {len(picked)} "
        f"entities found for “{args.query}”; load average {load_before[0]:.1f} before, {load_after[0]:.1f} after, "
        f"{result['seconds']} s.",
        "",
        "| measure | n | p50 | p90 |",
        "|---|---|---|---|",
        *[f"| {name} ({unit}) | {s.get('n')} | {s.get('p50', '–')} | {s.get('p90', '–')} |" for name, unit, s in rows],
    ]
    print("\n".join(md))
    if args.md_out:
        args.md_out.write_text("\n".join(md) + "\n", encoding="utf-8")
    if args.json_out:
        args.json_out.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
