"""Each refusal code is declared once, with its meaning (graph_api/domain/refusals.py), and used: the
services, the domain and the importer raise only declared codes, and no declared code is left unused."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from graph_api.domain.listing_basis import BasisRecord, basis_problem
from graph_api.domain.refusals import REFUSALS, Refused

PACKAGE = Path(__file__).resolve().parents[2] / "graph_api"
# A literal code where a refusal or a basis problem is made: Refused("X", ...), BasisProblem("X", ...).
_RAISED = re.compile(r'\b(?:Refused|BasisProblem)\(\s*"([A-Z][A-Z0-9_]*)"')
# Codes the importer writes into its rejects file that mean the same as a refusal.
_SHARED = re.compile(r'\bRejection\(\s*"(UNKNOWN_DEPARTMENT|BASIS_[A-Z_]+)"')


def _codes(pattern: re.Pattern[str]) -> set[str]:
    return {m.group(1) for p in PACKAGE.rglob("*.py") for m in pattern.finditer(p.read_text(encoding="utf-8"))}


def test_every_code_raised_is_declared():
    raised = _codes(_RAISED) | _codes(_SHARED)
    assert raised - set(REFUSALS) == set()


def test_every_declared_code_is_raised_somewhere():
    assert set(REFUSALS) - _codes(_RAISED) == set()


def test_a_refusal_with_an_undeclared_code_cannot_be_raised():
    with pytest.raises(ValueError, match="NOT_A_CODE"):
        Refused("NOT_A_CODE", "anything")
    assert Refused("ALREADY_ENDED", "listing L1 is DELISTED").code == "ALREADY_ENDED"


def test_the_importer_and_the_api_share_the_basis_codes():
    """The same rule gives the same code whichever way the listing comes in (require_active only adds the
    check that a listing made now rests on records in force)."""
    import datetime as dt

    late = BasisRecord("R1", True, "S", "ACTIVE", "NEGATIVE", dt.date(2024, 2, 1))
    for require_active in (True, False):
        problem = basis_problem("JOINT_PUNISHMENT", "S", dt.date(2024, 1, 1), [late], require_active=require_active)
        assert problem is not None and problem.code == "BASIS_AFTER_LISTING"
        assert problem.code in REFUSALS
