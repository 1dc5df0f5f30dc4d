"""The workbench at /explore: a page over the public GraphQL API for investigators and sanctions officers
(search, cards, the relationship graph as of a day). Its assets are built from tools/explore (pinned npm
dependencies, esbuild) into static/explore and committed, so neither the wheel nor `make run` needs npm.

The page's Content-Security-Policy lets it load and connect to this origin only, like GraphiQL's: a future
edit that adds an outside URL fails in the browser (tests/test_explore.py) instead of working by luck online."""

from __future__ import annotations

from pathlib import Path

from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse
from starlette.staticfiles import StaticFiles

from graph_api.domain.labels import LABELS

EXPLORE_DIR = Path(__file__).resolve().parent / "static" / "explore"
ASSETS_PATH = "/static/explore"

# cytoscape draws on canvas and adds a style element of its own for its container (style-src 'unsafe-inline');
# img-src data: and blob: for pictures the page makes itself (the favicon stub; a drawing exported as PNG).
# Nothing from another origin.
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
    "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)


# The graph's relations are types of the database (neighborhood's PathStep.relation): the roles read as their
# RoleType labels, the other kinds are named here (LISTED_ON and BASED_ON are crossed by a listing's paths).
RELATION_LABELS = {
    **LABELS["RoleType"],
    "HOLDS": "持股",
    "BRANCH_OF": "分支机构",
    "LISTED_ON": "被列入",
    "BASED_ON": "认定依据",
}
# Whom a measure binds (Measure.binds, a string in the schema).
MEASURE_BINDS_LABELS = {"ENTITY": "主体", "PERSONS": "相关责任人", "BOTH": "主体及相关责任人"}


def explore_page(_: Request) -> HTMLResponse:
    return HTMLResponse(
        (EXPLORE_DIR / "index.html").read_text(encoding="utf-8"),
        headers={"Content-Security-Policy": CSP, "Cache-Control": "no-cache"},
    )


def explore_labels(_: Request) -> JSONResponse:
    """The Chinese labels of every code the API answers with (domain/labels.py, the one table)."""
    return JSONResponse(
        {**LABELS, "Relation": RELATION_LABELS, "MeasureBinds": MEASURE_BINDS_LABELS},
        headers={"Cache-Control": "no-cache"},
    )


def explore_assets() -> StaticFiles:
    return StaticFiles(directory=EXPLORE_DIR)
