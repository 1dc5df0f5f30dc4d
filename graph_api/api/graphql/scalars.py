"""Custom scalars: identifiers that validate themselves on the way in."""

from __future__ import annotations

from typing import NewType

import strawberry
from strawberry.types.scalar import ScalarDefinition

from graph_api.domain.identifiers import validate_uscc

USCC = NewType("USCC", str)

SCALARS: dict[object, ScalarDefinition] = {
    USCC: strawberry.scalar(
        name="USCC",
        description="统一社会信用代码 (unified social credit code): 18 characters, GB 32100-2015 check character.",
        serialize=str,
        parse_value=validate_uscc,
    ),
}
