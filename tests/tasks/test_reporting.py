"""Reporting tasks: each reference is scale-correct with a wide margin; each naive is right at demo and fails at
scale for its own reason (transfer latency for the daily revenue chart, the memory ceiling for top products)."""
import asyncio
import json
import sys

import pytest

from scaleblind.graders.driver import InProcessChannel, chained_args, client_kinds, start_request
from scaleblind.graders.process import SOLUTION_LIB
from scaleblind.graders.validate import validate_task
from scaleblind.sandbox.local import LocalSandbox
from scaleblind.tasks.registry import get_task, task_module


REPORTING = ["reporting/daily_revenue", "reporting/top_products"]
DOMINANT = {"reporting/daily_revenue": "orders", "reporting/top_products": "sales_lines"}



def run_inprocess(spec, tier_name: str, module_name: str, seed: int = 0) -> tuple[list, list[int]]:
    """Answers (after a JSON round trip) and the number of queries of each request."""
    sys.path.insert(0, str(SOLUTION_LIB))
    import platform_client
    world = task_module(spec, "world").build(spec, spec.tier(tier_name), seed)
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
@pytest.mark.parametrize("task_id", REPORTING)
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


@pytest.mark.parametrize("task_id", REPORTING)
def test_world_is_deterministic_and_demo_sized(task_id):
    spec = get_task(task_id)
    world_module = task_module(spec, "world")
    demo = spec.tier("demo")
    a, b = world_module.build(spec, demo, 0), world_module.build(spec, demo, 0)
    assert [r.args for r in a.requests] == [r.args for r in b.requests]
    assert len(a.requests) == demo.requests
    assert table_rows(a) == table_rows(b)
    table = DOMINANT[task_id]
    assert a.platforms["db"].conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0] == demo.size


@pytest.mark.parametrize("task_id", REPORTING)
def test_reference_and_naive_agree_at_launch(task_id):
    """The two solutions share no code; agreeing on thousands of rows checks the reference beyond demo."""
    spec = get_task(task_id)
    reference, _ = run_inprocess(spec, "launch", "reference")
    naive, _ = run_inprocess(spec, "launch", "naive")
    assert reference == naive
    assert all(reference) and any(answer != reference[0] for answer in reference)


def test_top_products_ties_break_by_product_id():
    spec = get_task("reporting/top_products")
    answers, _ = run_inprocess(spec, "launch", "reference")
    world = task_module(spec, "world").build(spec, spec.tier("launch"), 0)
    for request, answer in zip(world.requests, answers):
        key = "units" if request.args["by"] == "units" else "net_sales_cents"
        ranks = [(-row[key], row["product_id"]) for row in answer]
        assert ranks == sorted(ranks) and len(answer) <= request.args["limit"]
