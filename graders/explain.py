"""A verdict a person can read: the headline, then one line per tier with each measure against its budget.

Used by the CLI's `grade` and by the scorer's explanation (what `inspect view` shows). A measure with a budget
reads `p95 12 ms / 200 ms (17x headroom)`: the budget divided by the measure, so 3x means the code could
get three times slower and still pass; over budget it reads `(2.5x over)`.
"""
from .efficiency import summary_line

# measure key in a tier record -> (label, unit, budget key)
MEASURES = (("p95_latency_ms", "p95", "ms", "latency_ms_p95"), ("total_ms", "total", "ms", "total_ms"),
            ("peak_memory_mb", "mem", "MB", "memory_mb"))


def _num(value: float | None, unit: str = "") -> str:
    """12 ms, 1,234 ms, 0.4 ms; '-' when not measured."""
    if value is None:
        return "-"
    text = f"{value:.1f}" if 0 < abs(value) < 10 and value != int(value) else f"{round(value):,}"
    return f"{text} {unit}".rstrip()


def headroom(value: float | None, budget: float | None) -> str:
    """`17x headroom` under the budget, `2.5x over` above it; empty without a budget or a measure."""
    if budget is None or value is None:
        return ""
    if value <= 0:
        return "no measurable cost"
    ratio = budget / value
    return f"{_times(ratio)} headroom" if ratio >= 1 else f"{_times(1 / ratio)} over"


def _times(ratio: float) -> str:
    """4.9x, 17x, 1,589x: one decimal only where it matters."""
    return f"{ratio:.1f}x" if ratio < 10 else f"{round(ratio):,}x"


def against_budget(value: float | None, budget: float | None, unit: str) -> str:
    """`12 ms / 200 ms (17x headroom)`, or just `12 ms` when the task sets no budget for this measure."""
    if budget is None:
        return _num(value, unit)
    return f"{_num(value, unit)} / {_num(budget, unit)} ({headroom(value, budget)})"


def tier_line(tier: dict) -> str:
    """One tier: size, outcome, each measure against its budget, platform calls."""
    budget = tier.get("budget") or {}
    status = "pass" if tier["failure"] is None else tier["failure"]
    measures = [f"{label} {against_budget(tier.get(key), budget.get(limit), unit)}"
                for key, label, unit, limit in MEASURES if tier.get(key) is not None or budget.get(limit)]
    return (f"  {tier['tier']:<8} n={tier['size']:<9,} {status:<13} " + "  ".join(measures)
            + f"  calls {tier.get('api_calls') or 0}  queries {tier.get('queries') or 0}"
            + (f"  data {_num(tier['db_bytes'] / 1000, 'KB')}" if tier.get("db_bytes") else ""))


def format_verdict(verdict: dict) -> str:
    if verdict["scale_correct"]:
        head = "scale-correct"
    else:
        where = f" at {verdict['failure_tier']}" if verdict.get("failure_tier") else ""
        head = f"NOT scale-correct: {verdict['failure']}{where}"
    lines = [f"{verdict.get('task', '?')}: {head} (correct at demo: {'yes' if verdict['correct_at_demo'] else 'no'})"]
    for tier in verdict.get("tiers", []):
        lines.append(tier_line(tier))
        if tier.get("failure") and tier.get("message"):
            lines.append(f"           {str(tier['message']).strip().splitlines()[-1][:200]}")
        if tier.get("failure") and tier.get("diff"):
            diff = tier["diff"]
            lines.append(f"           request {diff['request']}\n           expected {diff['expected']}\n"
                         f"           got      {diff['got']}")
    if verdict.get("efficiency"):
        lines.append(f"  {summary_line(verdict['efficiency'])}")
    growth = verdict.get("growth") or {}
    if growth.get("exponent") is not None:
        lines.append(f"  growth: mean latency ~ n^{growth['exponent']} ({growth['complexity_class']})")
    if verdict.get("message"):
        lines.append(f"  {verdict['message']}")
    return "\n".join(lines)
