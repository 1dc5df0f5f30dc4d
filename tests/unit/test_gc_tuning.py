"""The collector tuned while the service runs, and given back after (ops/gc_tuning.py)."""

import gc

from graph_api.ops.gc_tuning import tuned_gc
from graph_api.settings import Settings


def test_the_service_runs_with_what_started_frozen_and_its_thresholds_then_gives_them_back():
    before = gc.get_threshold()
    with tuned_gc((50_000, 50, 1_000)):
        assert gc.get_threshold() == (50_000, 50, 1_000)
        assert gc.get_freeze_count() > 0
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0


def test_thresholds_come_from_the_environment_as_json(monkeypatch):
    monkeypatch.setenv("GRAPH_API_GC_THRESHOLDS", "[700, 10, 10]")
    assert Settings().gc_thresholds == (700, 10, 10)
    monkeypatch.setenv("GRAPH_API_GC_THRESHOLDS", "[5000, 10, 10]")
    assert Settings().gc_thresholds == (5_000, 10, 10)
    monkeypatch.delenv("GRAPH_API_GC_THRESHOLDS")
    assert Settings().gc_thresholds == (700, 10, 10)
