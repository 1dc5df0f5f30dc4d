"""The measure catalogue, list defaults and publicity periods: data in data/catalogue.json."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

CATALOGUE_FILE = Path(__file__).parents[1] / "data" / "catalogue.json"


@lru_cache
def catalogue() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(CATALOGUE_FILE.read_text(encoding="utf-8"))
    return data


def list_defaults() -> dict[str, list[str]]:
    return {entry["code"]: list(entry["measures"]) for entry in catalogue()["lists"]}
