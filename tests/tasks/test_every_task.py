"""Every task in the registry: a complete spec, a deterministic world, and proven discrimination (its reference
is scale-correct with a 3x margin on every budget; its naive solution is correct at demo and fails at scale for
its family's reason). A new task folder is tested here without any change."""
import pytest

from scaleblind.graders.driver import build_world, run_in_process
from scaleblind.graders.verdict import FAILURES
from scaleblind.tasks.registry import all_tasks, get_task
from task_support import table_rows

TASK_IDS = sorted(all_tasks())
MARGIN = 3.0


@pytest.mark.parametrize("task_id", TASK_IDS)
def test_spec_is_complete(task_id):
    spec = get_task(task_id)
    assert spec.bottleneck and spec.feature and spec.scale and spec.boundaries and spec.sources
    assert f"def {spec.entry}(" in spec.contract
    assert spec.tier_names[:3] == ["demo", "launch", "growth"]
    sizes = [t.size for t in spec.tiers]
    assert sizes == sorted(sizes) and len(set(sizes)) == len(sizes) and sizes[0] <= 200
    assert set(spec.naive_failures) <= set(FAILURES) and "wrong_output" not in spec.naive_failures
    for tier in spec.tiers:
        budget = tier.budget
        assert budget.memory_mb and (budget.latency_ms_p95 or budget.total_ms)


@pytest.mark.parametrize("task_id", TASK_IDS)
def test_world_is_deterministic(task_id):
    spec = get_task(task_id)
    demo = spec.tier("demo")
    a, b = build_world(spec, demo, 0), build_world(spec, demo, 0)
    assert [(r.args, r.chain) for r in a.requests] == [(r.args, r.chain) for r in b.requests]
    assert len(a.requests) == demo.requests
    if "db" in a.platforms:
        assert table_rows(a) == table_rows(b)
    assert run_in_process(spec, a) == run_in_process(spec, b)


@pytest.mark.slow
@pytest.mark.parametrize("task_id", TASK_IDS)
def test_task_discriminates_with_margin(task_id, validated):
    spec = get_task(task_id)
    result = validated(task_id)
    assert result["ok"], result["problems"]
    naive = result["naive"]
    assert naive["correct_at_demo"] and not naive["scale_correct"] and naive["failure"] in spec.naive_failures
    assert result["reference"]["efficiency"] == 1.0 and 0.0 < naive["efficiency"] < 0.5   # demo's share at most
    for name, tier in result["reference"]["tiers"].items():
        budget = spec.tier(name).budget
        assert tier["peak_memory_mb"] * MARGIN <= budget.memory_mb, name
        if budget.latency_ms_p95:
            assert tier["p95_latency_ms"] * MARGIN <= budget.latency_ms_p95, name
        if budget.total_ms:
            assert tier["total_ms"] * MARGIN <= budget.total_ms, name
