"""The README's permission matrix, rendered from the permission table (domain/permissions.py), so that the
two cannot drift: `graph-api docs permissions --readme README.md` writes it between the markers, and a test
fails when the README's copy differs."""

from __future__ import annotations

import re

from graph_api.domain.permissions import (
    CLEAR_ID_NUMBER_ROLES,
    DISCLOSURES,
    MUTATION,
    NAME_READERS,
    PERSONAL_DATA_ROLES,
    PURPOSE_ROLES,
    QUERY,
    RECORDS,
    ROLES,
    SUBSCRIPTION,
    Rule,
)

TITLES = {
    "PUBLIC": "public",
    "ENTITY": "entity user",
    "OFFICER": "officer",
    "INVESTIGATOR": "investigator",
    "SANCTIONS": "sanctions officer",
    "ADMIN": "administrator",
}
BEGIN = (
    "<!-- permission matrix: generated from graph_api/domain/permissions.py by "
    "`graph-api docs permissions --readme README.md`; edit the table, not this -->"
)
END = "<!-- end of the permission matrix -->"
_SECTION = re.compile(re.escape(BEGIN) + r".*?" + re.escape(END), re.S)


def _cell(rule: Rule, role: str) -> str:
    if role not in rule.roles:
        return "–"
    condition = rule.conditions.get(role)
    return condition.words if condition else "✓"


def _row(label: str, cells: list[str]) -> str:
    return "| " + " | ".join([label, *cells]) + " |"


def _field_rows(prefix: str, table: dict[str, Rule]) -> list[str]:
    """One row per distinct answer, naming its fields in the table's order."""
    groups: dict[tuple[str, ...], list[str]] = {}
    for name, rule in table.items():
        if not rule.personal:
            groups.setdefault(tuple(_cell(rule, role) for role in ROLES), []).append(name)
    return [_row(prefix + ", ".join(f"`{n}`" for n in names), list(cells)) for cells, names in groups.items()]


def _personal_row() -> str:
    always = [f"`{n}`" for n, r in QUERY.items() if r.personal]
    naming = [f"`{n}`" for n, r in QUERY.items() if r.person_arguments]
    label = (
        f"a person by identity number: {', '.join(always)}, and {', '.join(naming)} when they name a person "
        "(besides the field's own row)"
    )
    return _row(
        label, ["✓ with purpose" if r in PURPOSE_ROLES else "✓" if r in PERSONAL_DATA_ROLES else "–" for r in ROLES]
    )


def render() -> str:
    """The matrix with its markers, as the README holds it."""
    lines = [BEGIN, "", _row("", [TITLES[r] for r in ROLES]), "|" + "---|" * (len(ROLES) + 1)]
    lines += _field_rows("", QUERY)
    lines.append(_personal_row())
    lines += [_row(f"records `{level}`", [RECORDS[level][r].value for r in ROLES]) for level in DISCLOSURES]
    lines.append(_row("persons' names", ["✓" if r in NAME_READERS else "masked" for r in ROLES]))
    lines.append(
        _row(
            "identity numbers",
            ["in clear with purpose (`idNumber`), audited" if r in CLEAR_ID_NUMBER_ROLES else "masked" for r in ROLES],
        )
    )
    lines += _field_rows("mutation ", MUTATION)
    lines += _field_rows("subscription ", SUBSCRIPTION)
    return "\n".join([*lines, "", END])


def readme_section(readme: str) -> str | None:
    """The matrix as a README text holds it (markers included), or None when it has no markers."""
    found = _SECTION.search(readme)
    return found.group(0) if found else None


def with_matrix(readme: str) -> str:
    """The README text with its matrix replaced by the rendered one."""
    if readme_section(readme) is None:
        raise ValueError("the README has no permission matrix markers")
    return _SECTION.sub(lambda _: render(), readme, count=1)
