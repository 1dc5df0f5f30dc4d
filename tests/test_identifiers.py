"""Identifiers through the importer: codes of real public registrations are imported, corrupted codes are
refused with their code. The validators themselves are tested in tests/unit/test_identifiers.py."""

from __future__ import annotations

from tests.unit.test_identifiers import PUBLIC_USCCS, STANDARD_RICS, with_check


def test_importer_accepts_public_codes_and_refuses_corrupted_ones(graph):
    lines = [
        {"kind": "entity", "uscc": code, "name": f"公示主体{i}", "form": "COMPANY", "status": "ACTIVE"}
        for i, code in enumerate(PUBLIC_USCCS)
    ]
    lines += [
        {
            "kind": "entity",
            "uscc": with_check("N2370200MA3C5XXX1"),
            "name": "某村股份经济合作社",
            "form": "RURAL_COLLECTIVE",
            "status": "ACTIVE",
        }
    ]
    lines += [{"kind": "person", "idNumber": n, "name": "标准示例"} for n in STANDARD_RICS]
    corrupted_uscc = PUBLIC_USCCS[0][:10] + "9" + PUBLIC_USCCS[0][11:]
    corrupted_ric = STANDARD_RICS[1][:-1] + "5"
    lines += [
        {"kind": "entity", "uscc": corrupted_uscc, "name": "篡改", "form": "COMPANY", "status": "ACTIVE"},
        {"kind": "person", "idNumber": corrupted_ric, "name": "篡改"},
    ]
    outcome = graph.import_lines(lines)
    assert outcome.counts["entity"]["created"] == len(PUBLIC_USCCS) + 1
    assert outcome.counts["person"]["created"] == 2
    assert sorted(r["code"] for r in outcome.rejects) == ["INVALID_ID_NUMBER", "INVALID_USCC"]
