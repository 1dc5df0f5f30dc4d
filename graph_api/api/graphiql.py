"""GraphiQL served by the service itself: the page and its assets are vendored in static/graphiql (pinned
by tools/graphiql/package-lock.json, copied by tools/graphiql/vendor.sh), because strawberry's own page loads
React and GraphiQL from a public CDN, and on an intranet without internet it shows only "Loading…".

The page's Content-Security-Policy lets it load and connect to this origin only, so a future edit that adds
an outside URL fails in the browser (tests/test_graphiql_offline.py) instead of working by luck online."""

from __future__ import annotations

from pathlib import Path

from starlette.responses import HTMLResponse
from starlette.staticfiles import StaticFiles

GRAPHIQL_DIR = Path(__file__).resolve().parent / "static" / "graphiql"
ASSETS_PATH = "/static/graphiql"

# GraphiQL sets element styles at run time (style-src 'unsafe-inline'); its CSS embeds fonts and icons as
# data: URIs. Nothing else is needed, and nothing from another origin is allowed.
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; font-src 'self' data:; "
    "img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)


def graphiql_page() -> HTMLResponse:
    return HTMLResponse(
        (GRAPHIQL_DIR / "index.html").read_text(encoding="utf-8"),
        headers={"Content-Security-Policy": CSP, "Cache-Control": "no-cache"},
    )


def graphiql_assets() -> StaticFiles:
    return StaticFiles(directory=GRAPHIQL_DIR)
