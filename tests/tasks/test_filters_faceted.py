"""The same code graded twice gets the same verdict, with the same exact virtual I/O."""
import asyncio

import pytest

from scaleblind.graders.grade import grade_answer
from scaleblind.sandbox.local import LocalSandbox
from scaleblind.tasks.registry import get_task, solution_path

pytestmark = pytest.mark.slow
SPEC = get_task("filters/faceted_catalog")
STABLE = ("scale_correct", "correct_at_demo", "highest_tier_passed", "failure", "failure_tier")


def test_same_verdict_twice_and_exact_virtual_io():
    code = solution_path(SPEC, "naive").read_text()
    first, second = (asyncio.run(grade_answer(SPEC, code, LocalSandbox())) for _ in range(2))
    assert {k: first[k] for k in STABLE} == {k: second[k] for k in STABLE}
    assert first["efficiency"]["score"] == second["efficiency"]["score"] and 0 < first["efficiency"]["score"] < 1
    assert [t["meters"] for t in first["tiers"]] == [t["meters"] for t in second["tiers"]]
    for a, b in zip(first["tiers"], second["tiers"]):
        assert a["api_calls"] == b["api_calls"]
        # I/O is virtual and exact; only normalised compute (a few ms) can differ between runs
        assert abs(a["total_ms"] - b["total_ms"]) < 0.05 * a["total_ms"]
