"""The joins/dedup tasks discriminate: each reference is scale-correct with a 3x margin, each naive solution is
correct at demo and fails at scale for its family's reason."""
import asyncio
from functools import cache

import pytest

from scaleblind.graders.validate import validate_task
from scaleblind.sandbox.local import LocalSandbox
from scaleblind.tasks.registry import get_task

pytestmark = pytest.mark.slow
TASKS = ("joins/contact_dedup", "joins/inventory_merge")


@cache
def validated(task_id: str) -> dict:
    return asyncio.run(validate_task(get_task(task_id), LocalSandbox()))


@pytest.mark.parametrize("task_id", TASKS)
def test_reference_scale_correct_and_naive_fails_for_the_family_reason(task_id):
    spec = get_task(task_id)
    result = validated(task_id)
    assert result["ok"], result["problems"]
    reference, naive = result["reference"], result["naive"]
    assert reference["scale_correct"]
    budget = spec.tier("growth").budget
    for tier in reference["tiers"].values():
        assert tier["p95_latency_ms"] * 3 <= budget.latency_ms_p95
        assert tier["peak_memory_mb"] * 3 <= budget.memory_mb
    assert naive["correct_at_demo"]
    assert not naive["scale_correct"]
    assert naive["failure"] in spec.naive_failures


def test_contact_dedup_naive_dies_on_call_count_at_launch():
    result = validated("joins/contact_dedup")
    assert result["naive"]["failure_tier"] == "launch"
    assert result["naive"]["tiers"]["launch"]["api_calls"] > 5 * result["reference"]["tiers"]["launch"]["api_calls"]


def test_inventory_merge_naive_passes_launch_and_dies_on_compute_at_growth():
    result = validated("joins/inventory_merge")
    naive = result["naive"]
    assert naive["highest_tier_passed"] == "launch" and naive["failure_tier"] == "growth"
    assert naive["tiers"]["growth"]["queries"] == 1     # one query: the time went into the join, not I/O
