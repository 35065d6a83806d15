"""Search tasks: each reference is scale-correct with a wide margin; each naive is right at demo and fails at scale."""
import asyncio

import pytest

from scaleblind.graders.validate import validate_task
from scaleblind.sandbox.local import LocalSandbox
from scaleblind.tasks.registry import get_task, task_module

SEARCH = ["search/autocomplete", "search/ranked_search"]


@pytest.mark.slow
@pytest.mark.parametrize("task_id", SEARCH)
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


@pytest.mark.parametrize("task_id", SEARCH)
def test_world_is_deterministic(task_id):
    spec = get_task(task_id)
    world_module = task_module(spec, "world")
    demo = spec.tier("demo")
    a, b = world_module.build(spec, demo, 0), world_module.build(spec, demo, 0)
    assert [r.args for r in a.requests] == [r.args for r in b.requests]
    tables = ("products", "terms") if task_id == "search/ranked_search" else ("products",)
    for table in tables:
        rows = [w.platforms["db"].conn.execute(f"SELECT * FROM {table} ORDER BY 1, 2").fetchall() for w in (a, b)]
        assert rows[0] == rows[1]


def test_autocomplete_prefix_uses_the_index():
    spec = get_task("search/autocomplete")
    world = task_module(spec, "world").build(spec, spec.tier("demo"), 0)
    plan = world.platforms["db"].conn.execute(
        "EXPLAIN QUERY PLAN SELECT id FROM products WHERE name_norm >= ? AND name_norm < ?", ["ab", "ab\uffff"]).fetchall()
    assert any("products_by_name_norm" in str(row) for row in plan)


def test_ranked_search_terms_match_the_contract_definition():
    spec = get_task("search/ranked_search")
    world_module = task_module(spec, "world")
    world = world_module.build(spec, spec.tier("demo"), 0)
    conn = world.platforms["db"].conn
    expected = set()
    for pid, title, description in conn.execute("SELECT id, title, description FROM products"):
        weights = {}
        for word in world_module.tokens(title):
            weights[word] = weights.get(word, 0) + 3
        for word in world_module.tokens(description):
            weights[word] = weights.get(word, 0) + 1
        expected |= {(word, pid, w) for word, w in weights.items()}
    assert set(conn.execute("SELECT term, product_id, weight FROM terms")) == expected
