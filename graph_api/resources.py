"""The files the package reads at run time that live at the top of the repository: the Cypher statements
(cypher/), the demo city (seed/demo.jsonl) and the Maven project that fetches Neo4j (neo4j/pom.xml).

In a checkout they are read where they are, so an edit takes effect without a build. A wheel carries copies
under graph_api/_bundled/ (pyproject.toml, [tool.hatch.build.targets.wheel.force-include]), and those win
when present; a checkout never has that folder (it is made only inside the wheel)."""

from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
BUNDLED = PACKAGE / "_bundled"
CHECKOUT = PACKAGE.parent


def resource(relative: str) -> Path:
    """The path of a repository file, e.g. resource("cypher"), bundled copy first."""
    bundled = BUNDLED / relative
    return bundled if bundled.exists() else CHECKOUT / relative


def in_checkout() -> bool:
    """Running from a source checkout (an editable install or the tree itself), not an installed wheel."""
    return not BUNDLED.exists() and (CHECKOUT / "pyproject.toml").exists() and (CHECKOUT / "cypher").is_dir()


CYPHER_DIR = resource("cypher")
DEMO_CITY = resource("seed/demo.jsonl")
NEO4J_POM = resource("neo4j/pom.xml")
