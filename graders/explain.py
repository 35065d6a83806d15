"""A verdict a person can read: the headline, then one line per tier. Used by the CLI and the scorer."""


def _num(value, unit: str = "") -> str:
    return "-" if value is None else f"{round(value):,}{unit}"


def format_verdict(verdict: dict) -> str:
    if verdict["scale_correct"]:
        head = "scale-correct"
    else:
        where = f" at {verdict['failure_tier']}" if verdict.get("failure_tier") else ""
        head = f"NOT scale-correct: {verdict['failure']}{where}"
    lines = [f"{verdict.get('task', '?')}: {head} (correct at demo: {'yes' if verdict['correct_at_demo'] else 'no'})"]
    for tier in verdict.get("tiers", []):
        status = "pass" if tier["failure"] is None else tier["failure"]
        lines.append(f"  {tier['tier']:<8} n={tier['size']:<9,} {status:<13} p95 {_num(tier.get('p95_latency_ms'), ' ms'):>10}"
                     f"  total {_num(tier.get('total_ms'), ' ms'):>11}  mem {_num(tier.get('peak_memory_mb'), ' MB'):>7}"
                     f"  calls {tier.get('api_calls') or 0}  queries {tier.get('queries') or 0}")
        if tier.get("failure") and tier.get("message"):
            lines.append(f"           {str(tier['message']).strip().splitlines()[-1][:200]}")
        if tier.get("failure") and tier.get("diff"):
            diff = tier["diff"]
            lines.append(f"           request {diff['request']}\n           expected {diff['expected']}\n"
                         f"           got      {diff['got']}")
    growth = verdict.get("growth") or {}
    if growth.get("exponent") is not None:
        lines.append(f"  growth: mean latency ~ n^{growth['exponent']} ({growth['complexity_class']})")
    if verdict.get("message"):
        lines.append(f"  {verdict['message']}")
    return "\n".join(lines)
