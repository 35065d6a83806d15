"""Feeds tasks: each reference is scale-correct with a wide margin; each naive is right at demo and fails at scale."""
import asyncio

import pytest

from scaleblind.graders.validate import validate_task
from scaleblind.sandbox.local import LocalSandbox
from scaleblind.tasks.registry import get_task, task_module


def table_rows(world) -> dict:
    conn = world.platforms["db"].conn
    names = [n for (n,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
    return {name: conn.execute(f"SELECT * FROM {name}").fetchall() for name in names}

FEEDS = ["feeds/activity_feed", "feeds/notifications"]


@pytest.mark.slow
@pytest.mark.parametrize("task_id", FEEDS)
def test_reference_scale_correct_naive_fails_for_its_reason(task_id):
    spec = get_task(task_id)
    result = asyncio.run(validate_task(spec, LocalSandbox()))
    assert result["ok"], result["problems"]
    reference, naive = result["reference"], result["naive"]
    assert naive["correct_at_demo"] and not naive["scale_correct"]
    assert naive["failure"] in spec.naive_failures
    budget = spec.tier("growth").budget
    for tier in reference["tiers"].values():
        assert tier["p95_latency_ms"] < budget.latency_ms_p95 / 3
        assert tier["peak_memory_mb"] < budget.memory_mb / 3


@pytest.mark.parametrize("task_id", FEEDS)
def test_world_is_deterministic_and_demo_sized(task_id):
    spec = get_task(task_id)
    world_module = task_module(spec, "world")
    demo = spec.tier("demo")
    a, b = world_module.build(spec, demo, 0), world_module.build(spec, demo, 0)
    assert [r.args for r in a.requests] == [r.args for r in b.requests]
    assert len(a.requests) == demo.requests
    assert table_rows(a) == table_rows(b)


def test_activity_feed_cursor_is_opaque():
    normalize = task_module(get_task("feeds/activity_feed"), "world").normalize
    assert normalize({"posts": [], "next_cursor": "2025-01-01T00:00:00Z|7"}) == \
        normalize({"posts": [], "next_cursor": "20"})
    assert normalize({"posts": [], "next_cursor": None}) != normalize({"posts": [], "next_cursor": "x"})
