"""Budgets and verdicts as pure functions over measurements (standard library only: the driver uses them too)."""
import math
from typing import Any

# Failure reasons, most fundamental first: a tier that crashed is reported as a crash, not as slow.
FAILURES = ("no_code", "syntax_error", "missing_entry", "crash", "timeout", "wrong_output", "query_cap",
            "rate_limited", "over_memory", "over_latency")
# A latency budget holds at the 95th percentile of a tier's requests, and no single request may take more than
# this many times the budget (so a solution cannot pay for its whole tier in one slow first request).
MAX_REQUEST_FACTOR = 4
# Module-level code (imports included) gets this much normalised CPU before the first request for free (about
# twice what importing numpy and pandas costs); CPU beyond it is charged to the first request's latency.
STARTUP_ALLOWANCE_MS = 1500.0


def p95(values: list[float]) -> float | None:
    """Nearest-rank 95th percentile: the value at rank ceil(0.95 n) of the sorted values (with 19 or fewer
    values that is the slowest; with 20 to 39, the second slowest)."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def allowed_slow_requests(n: int) -> int:
    """How many of n requests may exceed the latency budget while the p95 still meets it."""
    return n - max(1, math.ceil(0.95 * n)) if n else 0


def request_cap_ms(budget_ms: float, max_request_ms: float | None = None) -> float:
    """The most any single request may take under a p95 budget of `budget_ms`: MAX_REQUEST_FACTOR times it,
    unless the task states its own cap (`max_request_ms`, e.g. a first call that loads a whole window)."""
    return max_request_ms if max_request_ms is not None else MAX_REQUEST_FACTOR * budget_ms


def latency_failure(latencies: list[float], waits: list[float], budget_ms: float | None,
                    max_request_ms: float | None = None) -> str | None:
    """A latency budget holds when the nearest-rank p95 of the requests meets it and no request takes more
    than `request_cap_ms`; else over_latency, or rate_limited when the slowest request's wait for rate-limit
    tokens alone was over the budget."""
    if budget_ms is None or not latencies:
        return None
    slow = [i for i, ms in enumerate(latencies) if ms > budget_ms]
    capped = any(latencies[i] > request_cap_ms(budget_ms, max_request_ms) for i in slow)
    if len(slow) <= allowed_slow_requests(len(latencies)) and not capped:
        return None
    worst = max(slow, key=lambda i: latencies[i])
    return "rate_limited" if waits and waits[worst] > budget_ms else "over_latency"


def tier_failure(tier: dict[str, Any], budget: dict[str, Any]) -> str | None:
    """Why a measured tier fails its budget, or None when it passes.

    `tier` holds the driver's measurements: `error` (a failure already decided while running: crash,
    timeout, query_cap...), `correct`, `latencies_ms`, `waits_ms`, `total_ms`, `peak_memory_mb`.
    """
    if tier.get("error"):
        return tier["error"]
    if not tier.get("correct"):
        return "wrong_output"
    memory = budget.get("memory_mb")
    if memory is not None and (tier.get("peak_memory_mb") or 0) > memory:
        return "over_memory"
    failure = latency_failure(tier.get("latencies_ms", []), tier.get("waits_ms", []), budget.get("latency_ms_p95"),
                              budget.get("max_request_ms"))
    if failure:
        return failure
    total = budget.get("total_ms")
    if total is not None and (tier.get("total_ms") or 0) > total:
        return "rate_limited" if tier.get("wait_total_ms", 0) > total else "over_latency"
    return None


def summarise(tiers: list[dict[str, Any]], demo_tier: str, tier_names: list[str]) -> dict[str, Any]:
    """The verdict over tiers already marked with `failure` (None = passed), smallest tier first."""
    passed = [t["tier"] for t in tiers if t.get("failure") is None]
    first_fail = next((t for t in tiers if t.get("failure") is not None), None)
    demo = next((t for t in tiers if t["tier"] == demo_tier), None)
    all_run = [t["tier"] for t in tiers] == tier_names
    highest = None
    for name in tier_names:
        if name not in passed:
            break
        highest = name
    return {
        "scale_correct": first_fail is None and all_run,
        "correct_at_demo": demo is not None and demo.get("failure") is None,
        "highest_tier_passed": highest,
        "failure": first_fail["failure"] if first_fail else None,
        "failure_tier": first_fail["tier"] if first_fail else None,
    }


def failed_verdict(failure: str, message: str = "") -> dict[str, Any]:
    """A verdict for code that never ran (no code, a syntax error)."""
    return {"scale_correct": False, "correct_at_demo": False, "highest_tier_passed": None,
            "failure": failure, "failure_tier": None, "tiers": [], "growth": {"exponent": None,
            "complexity_class": None}, "message": message}
