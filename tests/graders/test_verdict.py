"""Verdict logic as pure functions: percentiles, budgets, failure precedence and the summary."""
import pytest

from scaleblind.graders.verdict import (MAX_REQUEST_FACTOR, allowed_slow_requests, failed_verdict, latency_failure,
                                       p95, request_cap_ms, summarise, tier_failure)

BUDGET = {"latency_ms_p95": 100.0, "memory_mb": 64.0, "total_ms": None}


def tier(**overrides) -> dict:
    base = {"tier": "launch", "error": None, "correct": True, "latencies_ms": [10.0] * 10, "waits_ms": [0.0] * 10,
            "peak_memory_mb": 20.0, "total_ms": 100.0}
    return {**base, **overrides}


def test_p95_is_nearest_rank():
    assert p95([]) is None
    assert p95([5.0]) == 5.0
    assert p95(list(range(1, 11))) == 10           # 10 values: the slowest
    assert p95(list(range(1, 21))) == 19           # 20 values: ceil(19) -> the 19th
    assert p95(list(range(1, 101))) == 95


def test_allowed_slow_requests():
    assert [allowed_slow_requests(n) for n in (0, 1, 10, 20, 40, 100)] == [0, 0, 0, 1, 2, 5]


def test_a_passing_tier():
    assert tier_failure(tier(), BUDGET) is None


@pytest.mark.parametrize("overrides, expected", [
    ({"error": "crash", "correct": False}, "crash"),
    ({"error": "timeout"}, "timeout"),
    ({"correct": False}, "wrong_output"),
    ({"correct": False, "peak_memory_mb": 500.0}, "wrong_output"),        # wrong beats slow or big
    ({"peak_memory_mb": 64.5}, "over_memory"),
    ({"latencies_ms": [10.0] * 9 + [150.0]}, "over_latency"),
    ({"latencies_ms": [10.0] * 9 + [150.0], "waits_ms": [0.0] * 9 + [120.0]}, "rate_limited"),
    ({"latencies_ms": [10.0] * 9 + [150.0], "waits_ms": [0.0] * 9 + [60.0]}, "over_latency"),
])
def test_failure_reasons(overrides, expected):
    assert tier_failure(tier(**overrides), BUDGET) == expected


def test_one_slow_request_in_twenty_is_allowed_up_to_the_cap():
    assert latency_failure([10.0] * 19 + [400.0], [0.0] * 20, 100.0) is None
    assert latency_failure([10.0] * 19 + [500.0], [0.0] * 20, 100.0) == "over_latency"
    assert latency_failure([10.0] * 18 + [150.0] * 2, [0.0] * 20, 100.0) == "over_latency"


def test_one_request_over_four_times_the_budget_fails_the_tier_though_the_p95_meets_it():
    # worked example: 20 requests against a 200 ms budget; the p95 (nearest rank 19 of 20) is 50 ms, but the
    # first request took 2.3 s, over 4 x 200 = 800 ms, so the tier is over_latency
    latencies = [2300.0] + [50.0] * 19
    assert p95(latencies) == 50.0
    assert MAX_REQUEST_FACTOR == 4 and request_cap_ms(200.0) == 800.0
    assert latency_failure(latencies, [0.0] * 20, 200.0) == "over_latency"
    assert tier_failure(tier(latencies_ms=latencies, waits_ms=[0.0] * 20), {**BUDGET, "latency_ms_p95": 200.0}) \
        == "over_latency"


def test_one_slow_request_at_or_under_four_times_the_budget_is_allowed():
    # 20 requests, 200 ms budget: one at exactly 800 ms is within the cap; 800.5 ms is not
    assert latency_failure([800.0] + [50.0] * 19, [0.0] * 20, 200.0) is None
    assert latency_failure([800.5] + [50.0] * 19, [0.0] * 20, 200.0) == "over_latency"
    # 10 requests: the p95 is the slowest, so any request over the budget fails, capped or not
    assert latency_failure([201.0] + [50.0] * 9, [0.0] * 10, 200.0) == "over_latency"


def test_a_task_may_state_its_own_cap_on_a_single_request():
    # 41 requests against 6 ms: the first one loads a whole window in 400 ms; the task allows 2,000 ms
    latencies = [400.0] + [1.0] * 40
    assert latency_failure(latencies, [0.0] * 41, 6.0) == "over_latency"              # 4 x 6 ms = 24 ms
    assert latency_failure(latencies, [0.0] * 41, 6.0, max_request_ms=2000.0) is None
    assert latency_failure([2000.5] + [1.0] * 40, [0.0] * 41, 6.0, max_request_ms=2000.0) == "over_latency"
    assert tier_failure(tier(latencies_ms=latencies, waits_ms=[0.0] * 41),
                        {**BUDGET, "latency_ms_p95": 6.0, "max_request_ms": 2000.0}) is None


def test_a_capped_request_that_waited_for_the_rate_limit_is_rate_limited():
    assert latency_failure([2300.0] + [50.0] * 19, [2000.0] + [0.0] * 19, 200.0) == "rate_limited"


def test_total_budget_for_batch_jobs():
    budget = {"latency_ms_p95": None, "memory_mb": None, "total_ms": 1000.0}
    assert tier_failure(tier(total_ms=999.0), budget) is None
    assert tier_failure(tier(total_ms=1001.0), budget) == "over_latency"
    assert tier_failure(tier(total_ms=1001.0, wait_total_ms=1200.0), budget) == "rate_limited"


def test_summary_scale_blind_solution():
    tiers = [{"tier": "demo", "failure": None}, {"tier": "launch", "failure": "over_latency"}]
    verdict = summarise(tiers, "demo", ["demo", "launch", "growth"])
    assert verdict == {"scale_correct": False, "correct_at_demo": True, "highest_tier_passed": "demo",
                       "failure": "over_latency", "failure_tier": "launch"}


def test_summary_needs_every_tier_to_be_scale_correct():
    tiers = [{"tier": "demo", "failure": None}, {"tier": "launch", "failure": None}]
    assert summarise(tiers, "demo", ["demo", "launch", "growth"])["scale_correct"] is False
    tiers.append({"tier": "growth", "failure": None})
    assert summarise(tiers, "demo", ["demo", "launch", "growth"])["scale_correct"] is True


def test_summary_wrong_at_demo():
    verdict = summarise([{"tier": "demo", "failure": "wrong_output"}], "demo", ["demo", "launch"])
    assert verdict["correct_at_demo"] is False and verdict["highest_tier_passed"] is None


def test_failed_verdict_shape():
    verdict = failed_verdict("no_code", "nothing")
    assert verdict["failure"] == "no_code" and not verdict["scale_correct"] and not verdict["correct_at_demo"]
