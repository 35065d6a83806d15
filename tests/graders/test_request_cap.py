"""A latency budget is a p95 *and* a cap of MAX_REQUEST_FACTOR x the budget on every single request: one slow
request is not forgiven by the p95 when it is over the cap, and the driver stops the tier at once.

One demo tier of feeds/activity_feed (20 requests, 200 ms budget, so the nearest-rank p95 forgives one slow
request) runs in this process against a real solution process; the slow request sleeps in virtual time, so the
figures are exact on any machine."""
from __future__ import annotations

from pathlib import Path

import pytest

from scaleblind.graders.driver import TierRun
from scaleblind.graders.verdict import MAX_REQUEST_FACTOR, tier_failure
from scaleblind.tasks.registry import get_task

TASK = "feeds/activity_feed"


def first_request_sleeps(seconds: float) -> str:
    """The reference, except that its first request first sleeps `seconds` (virtual time)."""
    spec = get_task(TASK)
    reference = (spec.folder / "reference.py").read_text()
    return reference + f"""
_reference, _first = {spec.entry}, [True]


def {spec.entry}(*args, **kwargs):
    if _first:
        _first.pop()
        import time
        time.sleep({seconds})
    return _reference(*args, **kwargs)
"""


def run_demo(code: str, tmp_path: Path) -> dict:
    spec = get_task(TASK)
    root = tmp_path / "scratch"
    root.mkdir()
    return TierRun(spec, spec.tier("demo"), 0, code, 1.0, root).run()


def test_the_task_has_the_shape_the_attack_needs():
    spec = get_task(TASK)
    assert spec.tier("demo").budget.latency_ms_p95 == 200 and spec.tier("demo").requests >= 20


def test_one_request_over_the_cap_stops_the_tier_at_once(tmp_path: Path, monkeypatch):
    monkeypatch.delenv("SCALEBLIND_MEMORY_CGROUP", raising=False)
    record = run_demo(first_request_sleeps(2.3), tmp_path)
    assert record["failure"] == record["error"] == "over_latency"
    assert len(record["requests"]) == 1                  # stopped after the first request, not the twentieth
    assert record["requests"][0]["latency_ms"] > 2300
    assert f"over 800 ms ({MAX_REQUEST_FACTOR}x the 200 ms budget)" in record["message"]


def test_one_slow_request_under_the_cap_is_still_forgiven(tmp_path: Path, monkeypatch):
    monkeypatch.delenv("SCALEBLIND_MEMORY_CGROUP", raising=False)
    record = run_demo(first_request_sleeps(0.7), tmp_path)
    assert record["failure"] is None and record["requests_done"] == 20
    assert record["p95_latency_ms"] <= 200 < record["max_latency_ms"] <= 800
    assert tier_failure(record, get_task(TASK).tier("demo").budget.__dict__) is None
