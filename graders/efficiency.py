"""The efficiency score: a solution's cost against the reference's, on the same world, as one number in [0, 1].

The verdict is binary, and strong models pass every task, so a leaderboard of verdicts is all ties; yet two
passing answers can differ tenfold in what they cost the platforms they call. This score reads the
deterministic meters the driver records per tier (virtual I/O time without rate-limit waits, API calls,
queries, database rows and VM work, ...) for the solution and for the reference, which the driver runs in its
own memory on its own copy of the same world and seed, so each ratio is exact and the same on every machine.

Definition (version DEFINITION; docs/efficiency.md has the reasoning and a worked example):
- meter score: r = (solution + g) / (reference + g), with g = GRAIN per request in the meter's unit (so a
  meter the reference does not use at all is still defined); score = 1 - clip(log r / log CAP, 0, 1):
  1 when as cheap as the reference or cheaper, 0 at CAP times its cost or more, linear in log cost between.
- memory score: headroom against the tier's budget, not against the reference (whose memory is not its own
  process's): 1 at or below MEMORY_FULL of the budget, 0 at the budget, linear in log between.
- tier score: the weighted mean of the scores of the meters that tier used (either side > 0) and memory.
  Clipping each meter before averaging means being cheaper on one meter never buys back another.
- sample score: sum over the task's tiers of weight x tier score, weights 2^-(distance from the largest tier)
  normalised to 1. A tier that failed, or was never reached, scores 0: its work was not delivered.
Normalised CPU time is reported beside it (`compute_ms`), never in it: it is not the same on every machine.

Standard library only: the driver (which runs in the sandbox) uses `tier_meters`.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Iterable

DEFINITION = "1"
CAP = 100.0            # this many times the reference's cost (or more) scores 0 on that meter
GRAIN = 0.1            # per request, in the meter's unit: what an unused meter is taken to cost
MEMORY_FULL = 0.5      # a peak at or below this share of the memory budget scores 1
MEMORY_WEIGHT = 1.0
TIER_DECAY = 2.0       # each tier below the largest weighs 1/TIER_DECAY of the one above it


@dataclass(frozen=True)
class Meter:
    """A per-request usage counter the platforms report, as scored."""

    label: str
    unit: float = 1.0   # GRAIN is in this unit (1 ms, 1 call, 1 KB ...)
    weight: float = 1.0


# usage key (summed over a tier's requests) -> how it is scored. A platform's new counter (e.g. bytes of
# result data) is recorded by the driver without any change here; one line here puts it in the score.
METERS: dict[str, Meter] = {
    "io_ms": Meter("virtual I/O time, rate-limit waits excluded (ms)", weight=2.0),
    "api_calls": Meter("API calls (429 answers included)"),
    "api_items": Meter("API items transferred"),
    "queries": Meter("database queries"),
    "db_rows": Meter("database rows transferred"),
    "db_ksteps": Meter("database work (thousands of SQLite VM steps)"),
    "db_bytes": Meter("database result bytes", unit=1024.0),
    "db_commits": Meter("database commits"),
}
# What a request record holds that is not a usage counter, or is a wait rather than work.
NOT_METERS = frozenset({"latency_ms", "compute_ms", "correct", "unfinished", "rate_limit_wait_ms"})


def tier_meters(requests: Iterable[dict[str, Any]]) -> dict[str, float]:
    """Sum every numeric usage counter over a tier's requests; `io_ms` without rate-limit waits.

    Waiting for a token is time, not work: a solution that paces itself waits longer and calls less, and the
    calls are what the score should see. Used for the solution (in TierRun) and the reference alike."""
    totals: dict[str, float] = {}
    for request in requests:
        for key, value in request.items():
            if key in NOT_METERS or isinstance(value, bool) or not isinstance(value, (int, float)):
                continue
            if key == "io_ms":
                value -= request.get("rate_limit_wait_ms", 0.0) or 0.0
            totals[key] = totals.get(key, 0.0) + value
    return {key: round(value, 3) for key, value in sorted(totals.items())}


def log_score(ratio: float, cap: float = CAP) -> float:
    """1 - clip(log ratio / log cap, 0, 1): 1 at or under ratio 1, 0 at or over `cap`."""
    if ratio <= 1.0:
        return 1.0
    return max(0.0, 1.0 - math.log(ratio) / math.log(cap))


def meter_score(solution: float, reference: float, grain: float, cap: float = CAP) -> float:
    """One meter: the capped log ratio of the solution's cost to the reference's, in [0, 1]."""
    return log_score((max(solution, 0.0) + grain) / (max(reference, 0.0) + grain), cap)


def memory_score(peak_mb: float | None, budget_mb: float | None) -> float | None:
    """Headroom against the budget: 1 at or below MEMORY_FULL x budget, 0 at the budget or over it.
    None when the tier has no memory budget or no measurement."""
    if budget_mb is None or peak_mb is None or budget_mb <= 0:
        return None
    return log_score(max(peak_mb, 0.0) / (MEMORY_FULL * budget_mb), 1.0 / MEMORY_FULL)


def tier_weights(tier_names: list[str]) -> dict[str, float]:
    """2^-(distance from the largest tier), normalised: the largest tier is what the feature is for."""
    raw = {name: TIER_DECAY ** -(len(tier_names) - 1 - i) for i, name in enumerate(tier_names)}
    total = sum(raw.values())
    return {name: value / total for name, value in raw.items()}


def tier_score(meters: dict[str, float], reference: dict[str, float], requests: int,
               peak_mb: float | None = None, memory_budget_mb: float | None = None) -> dict[str, Any]:
    """The score of one tier that passed, with each component (solution, reference, ratio, score)."""
    parts: dict[str, dict[str, Any]] = {}
    scored: list[tuple[float, float]] = []  # (weight, unrounded score)
    n = max(requests, 1)
    for key, meter in METERS.items():
        solution, ref = meters.get(key, 0.0), reference.get(key, 0.0)
        if solution <= 0 and ref <= 0:
            continue
        grain = GRAIN * meter.unit * n
        score = meter_score(solution, ref, grain)
        scored.append((meter.weight, score))
        parts[key] = {"solution": solution, "reference": ref, "ratio": round((solution + grain) / (ref + grain), 4),
                      "score": round(score, 4), "weight": meter.weight}
    memory = memory_score(peak_mb, memory_budget_mb)
    if memory is not None:
        scored.append((MEMORY_WEIGHT, memory))
        parts["memory"] = {"solution": peak_mb, "budget": memory_budget_mb, "score": round(memory, 4),
                           "weight": MEMORY_WEIGHT}
    weight = sum(w for w, _ in scored)
    return {"score": sum(w * s for w, s in scored) / weight if weight else 1.0, "components": parts}


def efficiency(tiers: list[dict[str, Any]], tier_names: list[str]) -> dict[str, Any]:
    """The sample's efficiency from the verdict's tier records (`failure`, `meters`, `reference_meters`,
    `requests_total`, `peak_memory_mb`, `budget`), over the task's tiers `tier_names`, smallest first.

    Score None only when a passed tier lacks meters (a driver from before the score existed)."""
    weights = tier_weights(tier_names)
    ran = {t["tier"]: t for t in tiers}
    rows, score, known = [], 0.0, True
    for name in tier_names:
        tier = ran.get(name)
        row: dict[str, Any] = {"tier": name, "weight": round(weights[name], 4)}
        if tier is None:
            row.update(score=0.0, status="not run")
        elif tier.get("failure") is not None:
            row.update(score=0.0, status=f"failed: {tier['failure']}")
        elif tier.get("meters") is None or tier.get("reference_meters") is None:
            row.update(score=None, status="no meters")
            known = False
        else:
            budget = tier.get("budget") or {}
            result = tier_score(tier["meters"], tier["reference_meters"], int(tier.get("requests_total") or 1),
                                tier.get("peak_memory_mb"), budget.get("memory_mb"))
            row.update(score=round(result["score"], 4), status="passed", components=result["components"])
        if tier is not None and tier.get("compute_ms") is not None:
            row["compute_ms"] = tier["compute_ms"]
        score += weights[name] * (row["score"] or 0.0)
        rows.append(row)
    return {"definition": DEFINITION, "score": round(score, 4) if known else None, "tiers": rows}


def no_tiers(tier_names: list[str]) -> dict[str, Any]:
    """The efficiency of an answer that never ran (no code, a syntax error): 0."""
    return efficiency([], tier_names)


def summary_line(result: dict[str, Any] | None) -> str:
    """`efficiency 0.87 (definition 1): growth 0.83, launch 0.95, demo 1.00; worst meter api_calls 2.0x`."""
    if not result or result.get("score") is None:
        return "efficiency: not scored"
    per_tier = ", ".join(f"{t['tier']} {t['score']:.2f}" if t["score"] is not None else f"{t['tier']} -"
                         for t in reversed(result["tiers"]))
    worst = [(key, part) for t in result["tiers"] for key, part in (t.get("components") or {}).items()
             if "ratio" in part]
    text = f"efficiency {result['score']:.2f} (definition {result['definition']}): {per_tier}"
    if worst:
        key, part = max(worst, key=lambda kv: kv[1]["ratio"])
        if part["ratio"] > 1:
            text += f"; most over the reference: {key} {part['ratio']:.1f}x"
    return text
