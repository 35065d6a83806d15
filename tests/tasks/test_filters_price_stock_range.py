"""The price/stock range filter discriminates on rows transferred: the reference returns a page, the naive
solution the whole variants table."""
import asyncio

import pytest

from scaleblind.graders.validate import validate_task
from scaleblind.sandbox.local import LocalSandbox
from scaleblind.tasks.registry import get_task

pytestmark = pytest.mark.slow
SPEC = get_task("filters/price_stock_range")


def test_reference_scale_correct_and_naive_fails_on_transfer():
    result = asyncio.run(validate_task(SPEC, LocalSandbox()))
    assert result["ok"], result["problems"]
    reference, naive = result["reference"], result["naive"]
    budget = SPEC.tier("growth").budget
    for tier in reference["tiers"].values():
        assert tier["p95_latency_ms"] * 3 <= budget.latency_ms_p95
        assert tier["queries"] <= 2 * 10
    assert naive["correct_at_demo"] and not naive["scale_correct"]
    assert naive["failure"] in SPEC.naive_failures
    assert naive["failure_tier"] == "growth"
