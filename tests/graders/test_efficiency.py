"""The efficiency score's pure functions, on the worked example of docs/efficiency.md and on its properties:
1 for the reference's own cost, monotone in cost, 0 for tiers not delivered, defined for failing samples."""
import math

import pytest

from scaleblind.graders import efficiency as eff
from scaleblind.graders.efficiency import (CAP, DEFINITION, efficiency, log_score, memory_score, meter_score,
                                           no_tiers, summary_line, tier_meters, tier_score, tier_weights)

NAMES = ["demo", "launch", "growth"]
BUDGET = {"latency_ms_p95": None, "total_ms": 1_800_000, "memory_mb": 256}


def tier(name: str, meters: dict, reference: dict, failure: str | None = None, requests: int = 1,
         peak: float = 14.0) -> dict:
    return {"tier": name, "failure": failure, "meters": meters, "reference_meters": reference,
            "requests_total": requests, "peak_memory_mb": peak, "budget": BUDGET, "compute_ms": 5.0}


def test_definition_is_versioned():
    assert DEFINITION == "1" and efficiency([], NAMES)["definition"] == DEFINITION


def test_log_score_is_one_at_or_under_the_reference_and_zero_at_the_cap():
    assert log_score(0.5) == log_score(1.0) == 1.0
    assert log_score(10.0) == pytest.approx(0.5)          # 10x is half way to 100x on a log scale
    assert log_score(CAP) == 0.0 and log_score(10 * CAP) == 0.0


def test_meter_score_with_grain_defines_a_meter_the_reference_does_not_use():
    assert meter_score(0, 0, 0.1) == 1.0
    assert meter_score(1, 0, 0.1) == pytest.approx(1 - math.log(11) / math.log(100))
    assert meter_score(5, 10, 0.1) == 1.0                   # cheaper than the reference: no bonus, no penalty


def test_tier_weights_halve_per_tier_below_the_largest():
    weights = tier_weights(NAMES)
    assert weights == pytest.approx({"demo": 1 / 7, "launch": 2 / 7, "growth": 4 / 7})
    assert sum(tier_weights(["demo", "launch", "growth", "scale"]).values()) == pytest.approx(1.0)


def test_memory_is_headroom_against_the_budget():
    assert memory_score(100, 256) == 1.0                    # under half the budget
    assert memory_score(256, 256) == 0.0 and memory_score(300, 256) == 0.0
    assert memory_score(181, 256) == pytest.approx(math.log(256 / 181) / math.log(2))
    assert memory_score(50, None) is None and memory_score(None, 256) is None


def test_tier_meters_sum_usage_and_take_rate_limit_waits_out_of_io():
    requests = [{"latency_ms": 900, "compute_ms": 3, "correct": True, "io_ms": 800.0, "rate_limit_wait_ms": 500.0,
                 "api_calls": 2, "rate_limited": 1},
                {"latency_ms": 100, "correct": False, "unfinished": True, "io_ms": 100.0, "api_calls": 1,
                 "db_bytes": 2048}]
    assert tier_meters(requests) == {"api_calls": 3, "db_bytes": 2048, "io_ms": 400.0, "rate_limited": 1}


def test_worked_example_webhook_batch():
    """docs/efficiency.md: the same batch delivered by pacing (the reference) and by retrying into 429s."""
    reference = {"demo": (12_000, 80), "launch": (231_600, 1_544), "growth": (773_100, 5_154)}
    retried = {"demo": (24_000, 160), "launch": (463_200, 3_088), "growth": (1_546_200, 10_308)}
    tiers = [tier(n, {"io_ms": retried[n][0], "api_calls": retried[n][1], "api_items": reference[n][1]},
                  {"io_ms": reference[n][0], "api_calls": reference[n][1], "api_items": reference[n][1]},
                  requests=1) for n in NAMES]
    result = efficiency(tiers, NAMES)
    two_x = 1 - math.log(2) / math.log(100)                 # 0.8495
    per_tier = (2 * two_x + two_x + 1.0 + 1.0) / 5          # io x2, calls, items, memory
    assert [t["score"] for t in result["tiers"]] == pytest.approx([per_tier] * 3, abs=1e-4)
    assert result["score"] == pytest.approx(per_tier, abs=1e-4) and result["score"] == pytest.approx(0.9097, abs=1e-4)
    assert summary_line(result).endswith("2.0x") and "growth 0.91, launch 0.91, demo 0.91" in summary_line(result)


def test_the_reference_itself_scores_one():
    meters = {"io_ms": 1234.5, "queries": 40, "db_rows": 4000, "db_ksteps": 12}
    assert efficiency([tier(n, meters, meters, requests=20) for n in NAMES], NAMES)["score"] == 1.0


@pytest.mark.parametrize("key", ["io_ms", "queries", "db_rows", "db_ksteps", "db_bytes", "api_calls"])
def test_monotone_in_every_meter(key):
    reference = {"io_ms": 100.0, "queries": 10, "db_rows": 1000, "db_ksteps": 50, "db_bytes": 100_000,
                 "api_calls": 5}
    scores = []
    for factor in (0.5, 1, 1.5, 3, 10, 60, 100, 1000):
        meters = {**reference, key: reference[key] * factor}
        scores.append(efficiency([tier(n, meters, reference, requests=10) for n in NAMES], NAMES)["score"])
    assert scores == sorted(scores, reverse=True) and scores[0] == scores[1] == 1.0 and scores[-1] < scores[2]


def test_monotone_in_memory():
    reference = {"io_ms": 100.0}
    scores = [efficiency([tier(n, reference, reference, peak=peak) for n in NAMES], NAMES)["score"]
              for peak in (20, 128, 150, 200, 256)]
    assert scores == sorted(scores, reverse=True) and scores[0] == 1.0 and scores[-1] < 1.0


def test_a_failing_sample_scores_only_the_tiers_it_delivered():
    meters = {"io_ms": 100.0, "api_calls": 10}
    naive = [tier("demo", meters, meters), tier("launch", {"io_ms": 9e9, "api_calls": 9e9}, meters, "over_latency")]
    result = efficiency(naive, NAMES)
    assert result["score"] == pytest.approx(1 / 7, abs=1e-4)       # demo at 1.0, launch failed, growth not run
    assert [t["status"] for t in result["tiers"]] == ["passed", "failed: over_latency", "not run"]
    assert efficiency([tier("demo", meters, meters, "wrong_output")], NAMES)["score"] == 0.0
    assert no_tiers(NAMES)["score"] == 0.0


def test_a_failure_never_scores_above_the_same_tier_passed():
    meters = {"io_ms": 100.0}
    passed = efficiency([tier(n, {"io_ms": 9_999.0}, meters) for n in NAMES], NAMES)["score"]
    failed = efficiency([tier("demo", meters, meters), tier("launch", meters, meters),
                         tier("growth", meters, meters, "over_memory")], NAMES)["score"]
    assert failed <= efficiency([tier(n, meters, meters) for n in NAMES[:2]], NAMES)["score"] and passed >= 0
    assert failed == pytest.approx(3 / 7, abs=1e-4)


def test_no_meters_is_unscored_not_zero():
    old = {"tier": "demo", "failure": None, "requests_total": 1}
    assert efficiency([old], NAMES)["score"] is None
    assert summary_line(efficiency([old], NAMES)) == "efficiency: not scored"


def test_cheaper_on_one_meter_does_not_buy_back_another():
    reference = {"queries": 10, "db_rows": 1000}
    trade = tier_score({"queries": 100, "db_rows": 10}, reference, requests=10)
    assert trade["score"] == pytest.approx((log_score((100 + 1) / (10 + 1)) + 1.0) / 2)
    assert trade["score"] < 1.0


def test_compute_is_reported_but_not_scored():
    reference = {"io_ms": 100.0}
    slow, fast = tier("demo", reference, reference), tier("demo", reference, reference)
    slow["compute_ms"], fast["compute_ms"] = 5_000.0, 1.0
    a, b = efficiency([slow], ["demo"]), efficiency([fast], ["demo"])
    assert a["score"] == b["score"] == 1.0 and a["tiers"][0]["compute_ms"] == 5_000.0


def test_new_meters_need_one_registry_line():
    assert "db_bytes" in eff.METERS and all(m.weight > 0 and m.unit > 0 for m in eff.METERS.values())
