"""The 应查必查 rule, once: a measure in force on a subject decides a scenario when its scenarios include it;
an incentive favours, every other kind (restriction, disqualification…) refuses. `eligibility` and `screen`
(api/graphql/eligibility.py `decide`) and the certificate's checks (domain/certificates.py `check`) apply it."""

from __future__ import annotations

from collections.abc import Collection
from typing import Literal


def effect(kind: str, scenarios: Collection[str] | None, scenario: str) -> Literal["REFUSES", "FAVOURS"] | None:
    """What a measure of `kind` covering `scenarios` does to `scenario`: nothing when it does not cover it."""
    if scenario not in (scenarios or ()):
        return None
    return "FAVOURS" if kind == "INCENTIVE" else "REFUSES"
