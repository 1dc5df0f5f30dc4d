"""Statement results as plain Python data, for the domain's pure rules: Neo4j temporal values become
`datetime` values, records and maps dicts, lists lists."""

from __future__ import annotations

from typing import Any


def native(value: Any) -> Any:
    """A statement's row as plain data: Neo4j dates as `datetime.date`, maps and lists recursively."""
    if hasattr(value, "to_native"):
        return value.to_native()
    if isinstance(value, dict) or hasattr(value, "items"):
        return {k: native(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [native(v) for v in value]
    return value
