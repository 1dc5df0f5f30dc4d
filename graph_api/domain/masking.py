"""Person names as a reader who may not read them in clear sees them (domain/permissions.py
reads_names_in_clear): the surname's first character and a star per other character (陈海 → 陈*,
欧阳娜娜 → 欧***). The one masking rule: GraphQL (api/graphql/masking.py) and the credit page
(api/report.py) both apply it, and search (api/graphql/discovery.py) matches a masked name only on
its visible character."""

from __future__ import annotations

from typing import overload


@overload
def mask_name(name: str) -> str: ...
@overload
def mask_name(name: None) -> None: ...
def mask_name(name: str | None) -> str | None:
    if not name:
        return name
    return name[0] + "*" * max(1, len(name) - 1)


def visible_part(name: str) -> str:
    """What a masked name shows of the name: the characters that are not stars."""
    return mask_name(name).rstrip("*")
