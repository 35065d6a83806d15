"""The default wall timeout never cuts off a solution that meets its budget on every request."""
from scaleblind.tasks.registry import all_tasks
from scaleblind.tasks.spec import WALL_TIMEOUT_S, Budget, default_wall_timeout


def test_a_tier_gets_twice_its_whole_latency_allowance_within_the_floor_and_ceiling():
    floor, ceiling = WALL_TIMEOUT_S
    assert default_wall_timeout(Budget(latency_ms_p95=2000), 120) == min(ceiling, 480)   # login_throttle, growth
    assert default_wall_timeout(Budget(latency_ms_p95=1000), 30) == 60                    # 2 x 30 s
    assert default_wall_timeout(Budget(latency_ms_p95=200), 20) == floor
    assert default_wall_timeout(Budget(total_ms=15_000), 1) == floor
    assert default_wall_timeout(Budget(total_ms=1_800_000), 1) == ceiling                 # virtual time needs none


def test_every_tier_without_its_own_timeout_allows_its_budget_at_half_speed():
    for spec in all_tasks().values():
        for tier in spec.tiers:
            allowed_s = max(tier.budget.total_ms or 0, (tier.budget.latency_ms_p95 or 0) * tier.requests) / 1000
            assert tier.wall_timeout_s >= min(WALL_TIMEOUT_S[1], 2 * allowed_s) or "wall_timeout_s" in \
                (spec.folder / "task.toml").read_text(), (spec.id, tier.name)
