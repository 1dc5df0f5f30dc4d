"""The rule data of the package: the measure catalogue, list defaults and publicity periods
(data/catalogue.json), and the workflow deadlines (data/workflow.json)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).parents[1] / "data"
CATALOGUE_FILE = DATA_DIR / "catalogue.json"
WORKFLOW_FILE = DATA_DIR / "workflow.json"


def _read(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


@lru_cache
def catalogue() -> dict[str, Any]:
    return _read(CATALOGUE_FILE)


def list_defaults() -> dict[str, list[str]]:
    return {entry["code"]: list(entry["measures"]) for entry in catalogue()["lists"]}


@dataclass(frozen=True)
class Workflow:
    """Deadlines and reach of the supervision workflows."""

    task_feedback_working_days: int  # a pushed task's feedback is due after this many working days
    related_flag_hops: int  # levels of control through which a listing flags related entities


@lru_cache
def workflow() -> Workflow:
    data = _read(WORKFLOW_FILE)
    return Workflow(
        task_feedback_working_days=int(data["taskFeedbackWorkingDays"]),
        related_flag_hops=int(data["relatedFlagHops"]),
    )
