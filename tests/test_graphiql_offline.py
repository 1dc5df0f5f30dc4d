"""GraphiQL works without internet (issue 12, "Offline first"): a real headless Chromium (Debian's
`chromium`, driven by Playwright; `make browser` installs it) opens /graphql of the running service with
every request outside 127.0.0.1 blocked, and the editor renders and runs a query against the demo data.

Requests the page attempts outside loopback are recorded before they are blocked: the test fails on any,
so a CDN reference cannot hide behind a cached copy. The vendored files must be the ones vendor.sh copied
(SHA256SUMS), so an edit by hand is caught too."""

from __future__ import annotations

import hashlib
import shutil
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Route, sync_playwright

from tests.conftest import ROOT
from tests.test_linkage import A, build

STATIC = ROOT / "graph_api" / "api" / "static" / "graphiql"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


@pytest.fixture(scope="module")
def linked(module_graph):
    assert module_graph.import_lines(build()).code == 0
    return module_graph


def test_vendored_assets_are_the_pinned_ones():
    sums = [line.split() for line in (STATIC / "SHA256SUMS").read_text().splitlines() if line.strip()]
    assert {name for _, name in sums} == {
        "react.production.min.js",
        "react-dom.production.min.js",
        "graphiql.min.js",
        "graphiql.min.css",
    }
    for digest, name in sums:
        assert hashlib.sha256((STATIC / name).read_bytes()).hexdigest() == digest, f"{name} differs from vendor.sh's"
    assert "graphiql 3." in (STATIC / "VERSIONS").read_text()


def test_graphiql_page_loads_nothing_from_outside(api):
    page = api.get("/graphql", headers={"accept": "text/html"})
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    assert "default-src 'none'" in page.headers["content-security-policy"]
    assert "connect-src 'self'" in page.headers["content-security-policy"]
    assert "http://" not in page.text and "https://" not in page.text and "//unpkg" not in page.text


def test_graphiql_renders_and_runs_a_query_in_chromium_offline(api, linked):
    base = str(api.base_url).rstrip("/")
    outside: list[str] = []
    console_errors: list[str] = []

    def only_loopback(route: Route) -> None:
        host = urlsplit(route.request.url).hostname
        if host == "127.0.0.1":
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort("internetdisconnected")

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        try:
            context = browser.new_context()
            context.route("**/*", only_loopback)
            page = context.new_page()
            page.on("console", lambda m: console_errors.append(m.text) if m.type == "error" else None)
            page.goto(f"{base}/graphql", wait_until="load")
            page.wait_for_selector(".graphiql-container", timeout=30_000)
            page.wait_for_selector(".graphiql-query-editor .CodeMirror", timeout=30_000)

            # Replace the default query by one with a known answer, and run it.
            page.evaluate(
                "q => document.querySelector('.graphiql-query-editor .CodeMirror').CodeMirror.setValue(q)",
                '{ entity(uscc: "%s") { uscc name } }' % A,
            )
            page.click(".graphiql-execute-button")
            page.wait_for_function(
                "() => (document.querySelector('.result-window .CodeMirror')?.CodeMirror.getValue() || '')"
                ".includes('\"name\"')",
                timeout=30_000,
            )
            result = page.evaluate("() => document.querySelector('.result-window .CodeMirror').CodeMirror.getValue()")
        finally:
            browser.close()

    assert outside == []
    assert f'"uscc": "{A}"' in result and '"errors"' not in result, result
    assert not [e for e in console_errors if "Content Security Policy" in e], console_errors
