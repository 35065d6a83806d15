"""Exports tasks: each reference is scale-correct with a wide margin; each naive is right at demo and fails at scale."""
import asyncio

import pytest

from scaleblind.graders.validate import validate_task
from scaleblind.sandbox.local import LocalSandbox
from scaleblind.tasks.registry import get_task, task_module


def table_rows(world) -> dict:
    conn = world.platforms["db"].conn
    names = [n for (n,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
    return {name: conn.execute(f"SELECT * FROM {name}").fetchall() for name in names}

EXPORTS = ["exports/orders_csv", "exports/customer_report"]


@pytest.mark.slow
@pytest.mark.parametrize("task_id", EXPORTS)
def test_reference_scale_correct_naive_fails_for_its_reason(task_id):
    spec = get_task(task_id)
    result = asyncio.run(validate_task(spec, LocalSandbox()))
    assert result["ok"], result["problems"]
    reference, naive = result["reference"], result["naive"]
    assert naive["correct_at_demo"] and not naive["scale_correct"]
    assert naive["failure"] in spec.naive_failures
    budget = spec.tier("growth").budget
    for tier in reference["tiers"].values():
        assert tier["total_ms"] < budget.total_ms / 3
        assert tier["peak_memory_mb"] < budget.memory_mb / 3


@pytest.mark.parametrize("task_id", EXPORTS)
def test_csv_compared_by_value_not_by_quoting(task_id):
    normalize = task_module(get_task(task_id), "world").normalize
    crlf = 'id,name\r\n1,"Smith, Jones & Co"\r\n2,"Acme ""Rockets"" Ltd"\r\n'
    lf = '"id","name"\n1,"Smith, Jones & Co"\n"2","Acme ""Rockets"" Ltd"\n'
    assert normalize({"return": 2, "out": crlf}) == normalize({"return": 2, "out": lf})
    swapped = 'id,name\n2,"Acme ""Rockets"" Ltd"\n1,"Smith, Jones & Co"\n'
    assert normalize({"return": 2, "out": crlf}) != normalize({"return": 2, "out": swapped})
    assert normalize({"return": 2, "out": "id,total\n1,12.30\n"}) != normalize({"return": 2, "out": "id,total\n1,12.3\n"})


@pytest.mark.parametrize("task_id", EXPORTS)
def test_world_is_deterministic(task_id):
    spec = get_task(task_id)
    world_module = task_module(spec, "world")
    demo = spec.tier("demo")
    a, b = world_module.build(spec, demo, 0), world_module.build(spec, demo, 0)
    assert [r.args for r in a.requests] == [r.args for r in b.requests]
    assert table_rows(a) == table_rows(b)
