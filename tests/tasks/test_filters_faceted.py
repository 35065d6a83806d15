"""The faceted filter discriminates, and the same code graded twice gets the same verdict."""
import asyncio

import pytest

from scaleblind.graders.grade import grade_answer
from scaleblind.graders.validate import validate_task
from scaleblind.sandbox.local import LocalSandbox
from scaleblind.tasks.registry import get_task, solution_path

pytestmark = pytest.mark.slow
SPEC = get_task("filters/faceted_catalog")
STABLE = ("scale_correct", "correct_at_demo", "highest_tier_passed", "failure", "failure_tier")


def test_reference_passes_and_naive_fails_on_latency():
    result = asyncio.run(validate_task(SPEC, LocalSandbox()))
    assert result["ok"], result["problems"]
    assert result["naive"]["failure"] in ("over_latency", "rate_limited")
    assert result["reference"]["tiers"]["growth"]["p95_latency_ms"] < 800 / 2


def test_same_verdict_twice_and_exact_virtual_io():
    code = solution_path(SPEC, "naive").read_text()
    first, second = (asyncio.run(grade_answer(SPEC, code, LocalSandbox())) for _ in range(2))
    assert {k: first[k] for k in STABLE} == {k: second[k] for k in STABLE}
    for a, b in zip(first["tiers"], second["tiers"]):
        assert a["api_calls"] == b["api_calls"]
        # I/O is virtual and exact; only normalised compute (a few ms) can differ between runs
        assert abs(a["total_ms"] - b["total_ms"]) < 0.05 * a["total_ms"]
