"""Data-access tasks: each reference is scale-correct with a wide margin; each naive is right at demo and fails
at scale for its own reason (the query cap for the N+1 order list, latency for the dashboard tile)."""
import asyncio
import json
import sys

import pytest

from scaleblind.graders.driver import InProcessChannel, chained_args, client_kinds, start_request
from scaleblind.graders.process import SOLUTION_LIB
from scaleblind.graders.validate import validate_task
from scaleblind.sandbox.local import LocalSandbox
from scaleblind.tasks.registry import get_task, task_module


DATA_ACCESS = ["data_access/order_details", "data_access/dashboard_tile"]



def run_inprocess(spec, tier_name: str, module_name: str, seed: int = 0, uncapped: bool = False):
    """Answers (after a JSON round trip) and the number of queries of each request; `uncapped` lifts the
    query cap (to compare the N+1 naive's answers with the reference's beyond demo)."""
    sys.path.insert(0, str(SOLUTION_LIB))
    import platform_client
    world = task_module(spec, "world").build(spec, spec.tier(tier_name), seed)
    if uncapped:
        world.platforms["db"].config.max_queries_per_request = None
    platform_client._channel = InProcessChannel(world)
    entry = getattr(task_module(spec, module_name), spec.entry)
    answers, queries, previous = [], [], None
    for request in world.requests:
        start_request(world)
        clients = {n: platform_client.CLIENT_TYPES[k](n) for n, k in client_kinds(spec, world).items()}
        value = json.loads(platform_client.encode(entry(**clients, **chained_args(request, previous))))
        answers.append(value)
        queries.append(world.platforms["db"].usage()["queries"])
        previous = value
    return answers, queries


def table_rows(world) -> dict:
    conn = world.platforms["db"].conn
    names = [n for (n,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    return {name: conn.execute(f"SELECT * FROM {name}").fetchall() for name in names}


@pytest.mark.slow
@pytest.mark.parametrize("task_id", DATA_ACCESS)
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


@pytest.mark.parametrize("task_id", DATA_ACCESS)
def test_world_is_deterministic_and_demo_sized(task_id):
    spec = get_task(task_id)
    world_module = task_module(spec, "world")
    demo = spec.tier("demo")
    a, b = world_module.build(spec, demo, 0), world_module.build(spec, demo, 0)
    assert [r.args for r in a.requests] == [r.args for r in b.requests]
    assert len(a.requests) == demo.requests
    assert table_rows(a) == table_rows(b)
    assert a.platforms["db"].conn.execute("SELECT COUNT(*) FROM orders").fetchone()[0] == demo.size


@pytest.mark.parametrize("task_id", DATA_ACCESS)
def test_reference_and_naive_agree_at_launch(task_id):
    """The two solutions share no code; agreeing on thousands of rows checks the reference beyond demo."""
    spec = get_task(task_id)
    reference, _ = run_inprocess(spec, "launch", "reference")
    naive, _ = run_inprocess(spec, "launch", "naive", uncapped=True)
    assert reference == naive
    assert any(answer != reference[0] for answer in reference)  # the requests are not all alike


def test_order_list_demo_stays_under_the_cap_and_launch_does_not():
    spec = get_task("data_access/order_details")
    assert spec.platform["db"]["max_queries_per_request"] == 100
    for seed in range(5):
        _, queries = run_inprocess(spec, "demo", "naive", seed)
        assert max(queries) < 80, (seed, queries)
    _, reference_queries = run_inprocess(spec, "demo", "reference")
    assert max(reference_queries) <= 2


def test_order_list_pages_are_full_at_launch():
    spec = get_task("data_access/order_details")
    answers, queries = run_inprocess(spec, "launch", "reference")
    assert max(queries) <= 2
    assert any(len(answer["orders"]) == 50 and answer["has_next"] for answer in answers)


def test_daily_sales_rollup_matches_the_orders():
    spec = get_task("data_access/dashboard_tile")
    world = task_module(spec, "world").build(spec, spec.tier("launch"), 0)
    conn = world.platforms["db"].conn
    last_day = conn.execute("SELECT substr(MAX(created_at), 1, 10) FROM orders").fetchone()[0]
    live = conn.execute("SELECT substr(created_at, 1, 10), COUNT(*), SUM(total_cents) FROM orders "
                        "WHERE status != 'cancelled' AND created_at < ? GROUP BY 1 ORDER BY 1", [last_day]).fetchall()
    assert conn.execute("SELECT day, orders, revenue_cents FROM daily_sales ORDER BY day").fetchall() == live
    assert conn.execute("SELECT COUNT(*) FROM daily_sales WHERE day >= ?", [last_day]).fetchone()[0] == 0
