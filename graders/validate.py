"""`scaleblind tasks validate`: every task must prove it discriminates.

Its reference must be scale-correct; its naive solution must be correct at demo size and fail at scale for
one of the reasons its family is about (e.g. a filter fails on latency or the rate limit, not a wrong answer).
The reference must also score the efficiency score's maximum (it is what the score compares against, so
anything less means its meters are not reproducible); the naive solution's score is reported.
"""
import asyncio
from typing import Any

from ..sandbox.registry import factory
from ..tasks.registry import NAIVE_MODULE, REFERENCE_MODULE, solution_path
from ..tasks.spec import TaskSpec
from .efficiency import DEFINITION, METERS
from .grade import DEFAULT_SEED, grade_answer

SUMMARY_KEYS = ("scale_correct", "correct_at_demo", "highest_tier_passed", "failure", "failure_tier")


def problems(spec: TaskSpec, reference: dict, naive: dict) -> list[str]:
    """Pure: what is wrong with a task's pair of verdicts (empty when it discriminates)."""
    found = []
    if not reference["scale_correct"]:
        found.append(f"reference is not scale-correct: {reference['failure']} at {reference['failure_tier']}")
    if not naive["correct_at_demo"]:
        found.append(f"naive is not correct at demo: {naive['failure']}")
    if naive["scale_correct"]:
        found.append("naive is scale-correct: the task does not discriminate")
    elif naive["correct_at_demo"] and naive["failure"] not in spec.naive_failures:
        found.append(f"naive fails for {naive['failure']!r}, not for the family's reason "
                     f"({', '.join(spec.naive_failures)})")
    score = efficiency_score(reference)
    if reference["scale_correct"] and score != MAX_EFFICIENCY:
        found.append(f"reference scores {score} on efficiency (definition {DEFINITION}), not {MAX_EFFICIENCY}: "
                     "its meters in the sandbox differ from its meters in the driver")
    found += [f"reference's {key} at {tier} is {ours} in the sandbox but {theirs} in the driver: its cost is not "
              "reproducible, so no answer's efficiency can be" for tier, key, ours, theirs in meter_drift(reference)]
    return found


def meter_drift(verdict: dict) -> list[tuple[str, str, float, float]]:
    """Scored meters on which a run of the reference in the sandbox and its run in the driver disagree (a score
    of 1 alone would not show a reference that costs less in the sandbox than in the driver)."""
    return [(t["tier"], key, (t.get("meters") or {}).get(key, 0.0), (t.get("reference_meters") or {}).get(key, 0.0))
            for t in verdict.get("tiers", []) if t.get("meters") is not None for key in METERS
            if (t.get("meters") or {}).get(key, 0.0) != (t.get("reference_meters") or {}).get(key, 0.0)]


MAX_EFFICIENCY = 1.0


def efficiency_score(verdict: dict) -> float | None:
    return (verdict.get("efficiency") or {}).get("score")


def summary(verdict: dict) -> dict[str, Any]:
    tiers = {t["tier"]: {k: t.get(k) for k in ("failure", "p95_latency_ms", "total_ms", "peak_memory_mb",
                                                 "api_calls", "queries", "requests_done", "wall_s")}
             for t in verdict["tiers"]}
    return {**{k: verdict[k] for k in SUMMARY_KEYS}, "growth": verdict["growth"],
            "efficiency": efficiency_score(verdict), "tiers": tiers}


async def validate_task(spec: TaskSpec, env: Any, seed: int = DEFAULT_SEED) -> dict:
    verdicts = {}
    for name in (REFERENCE_MODULE, NAIVE_MODULE):
        text = solution_path(spec, name).read_text(encoding="utf-8")
        verdicts[name] = await grade_answer(spec, text, env, seed)
    found = problems(spec, verdicts[REFERENCE_MODULE], verdicts[NAIVE_MODULE])
    return {"id": spec.id, "family": spec.family, "ok": not found, "problems": found,
            "reference": summary(verdicts[REFERENCE_MODULE]), "naive": summary(verdicts[NAIVE_MODULE])}


def validate(specs: list[TaskSpec], sandbox: str, seed: int = DEFAULT_SEED, progress=None) -> list[dict]:
    """Each task in a sandbox of its own (warm containers make that cheap), so one sandbox's watchdog bounds
    one task's grading, not the sum of all tasks'."""
    async def run() -> list[dict]:
        results = []
        for spec in specs:
            async with factory(sandbox)() as env:
                results.append(await validate_task(spec, env, seed))
            if progress:
                progress(results[-1])
        return results
    return asyncio.run(run())
