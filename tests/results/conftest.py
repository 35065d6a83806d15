"""Synthetic inspect logs with known outcomes, built with inspect's own log classes.

An outcome spec says, for each (task, variant[, temperature]), how many of the epochs were correct at demo and
how many were scale-correct, so every rate the statistics compute is known by hand.
"""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import pytest
from inspect_ai.log import EvalConfig, EvalDataset, EvalLog, EvalSample, EvalSpec, write_eval_log
from inspect_ai.model import ChatMessageAssistant, ChatMessageUser, ModelUsage
from inspect_ai.scorer import Score

TIERS = [("demo", 30), ("launch", 2_000), ("growth", 100_000)]
BUDGET = {"latency_ms_p95": 200, "total_ms": None, "memory_mb": 256}
FAMILIES = {"filters": "filters", "feeds": "feeds", "exports": "exports", "search": "search", "sync": "sync"}

# (task, variant, temperature) -> (n demo-correct, n scale-correct) out of `epochs`
Outcomes = dict[tuple[str, str, float | None], tuple[int, int]]


def tier_list(scale_correct: bool, demo_correct: bool, failure: str) -> list[dict[str, Any]]:
    """Per-tier measurements as the grader records them: blueprint-style code is flat in cost; naive code grows
    linearly with size. Tiers stop at the first failure, as the grader's do."""
    slope = 0.0001 if scale_correct else 0.01
    out = []
    for i, (tier, size) in enumerate(TIERS):
        passed = scale_correct or (demo_correct and i == 0)
        p95 = round(5 + slope * size, 3)
        out.append({"tier": tier, "size": size, "passed": passed, "failure": None if passed else failure,
                    "p95_latency_ms": p95, "mean_latency_ms": round(p95 * 0.8, 3), "total_ms": round(p95 * 12, 3),
                    "peak_memory_mb": 20.0 + i, "api_calls": 1 if scale_correct else size // 100, "queries": 1,
                    "requests_total": 12, "requests_done": 12 if passed else 1, "budget": BUDGET,
                    "message": None if passed else f"{failure} at {tier}",
                    "diff": {"request": {"q": tier}, "expected": [1, 2], "got": [2, 1]}
                    if failure == "wrong_output" and not passed else None})
        if not passed:
            break
    return out


def make_score(demo: bool, correct: bool, variant: str, failure: str = "over_latency",
               efficiency: float | None = None, code: str = "") -> Score:
    """A `scale_correctness` score in the lead's contract: value dict plus the full verdict in metadata."""
    failure = None if correct else (failure if demo else "wrong_output")
    verdict = {"scale_correct": correct, "correct_at_demo": demo,
               "highest_tier_passed": "growth" if correct else ("demo" if demo else None),
               "failure": failure, "failure_tier": None if correct else ("launch" if demo else "demo"),
               "growth": {"exponent": 0.1 if correct else 1.0, "complexity_class": "O(1)" if correct else "O(n)"},
               "tiers": tier_list(correct, demo, failure)}
    if efficiency is not None:   # shaped as graders/efficiency.py gives it: passing tiers of a failing answer cost 3x
        verdict["efficiency"] = {"definition": "1", "score": efficiency, "tiers": [
            {"tier": t["tier"], "score": (1.0 if correct else 0.75) if t["passed"] else 0.0,
             "components": {"api_calls": {"ratio": 1.0 if correct else 3.0}} if t["passed"] else {}}
            for t in verdict["tiers"]]}
    value = {"scale_correct": int(correct), "correct_at_demo": int(demo)}
    if demo:
        value["scale_blind"] = int(not correct)
    return Score(value=value, answer=code, metadata={"verdict": verdict})


def ingredients(variant: str) -> dict[str, bool]:
    """Ingredient flags roughly as the prompt variants set them (only carried through, never tested on)."""
    blue = variant.startswith("blueprint")
    return {"role": blue and variant != "blueprint_no_role" or variant == "role_only",
            "numbers": blue and variant not in ("blueprint_no_numbers", "blueprint_vague_scale"),
            "boundaries": blue and variant != "blueprint_no_boundaries",
            "analysis_first": blue and variant not in ("blueprint_no_analysis", "blueprint_analysis_after"),
            "analysis_after": variant == "blueprint_analysis_after",
            "vague_scale": variant == "blueprint_vague_scale", "two_turn": variant == "design_then_implement"}


def build_log(model: str, outcomes: Outcomes, epochs: int, taskset_version: str = "1.0",
              run_id: str | None = None, provenance: bool = True, with_ids: bool = True,
              failures: dict[str, str] | None = None, splits: dict[str, str] | None = None,
              efficiency: bool = False, usd_per_token: float | None = None,
              model_args: dict[str, Any] | None = None) -> EvalLog:
    """An EvalLog whose samples realise `outcomes` exactly: the first k epochs succeed.

    `failures` names the failure of a task's demo-correct answers (default over_latency); `splits` puts tasks
    in a split (else the metadata has none, like logs from before splits); `efficiency` adds an efficiency
    score (1.0 scale-correct, 0.25 not); `usd_per_token` prices the model's usage, as inspect does when it
    knows the price."""
    samples = []
    for (task, variant, temp), (n_demo, n_correct) in sorted(outcomes.items(), key=str):
        assert n_correct <= n_demo <= epochs
        sid = f"{task}:{variant}" + (f"@t={temp}" if temp is not None else "")
        for epoch in range(1, epochs + 1):
            demo, correct = epoch <= n_demo, epoch <= n_correct
            meta = {"task_id": task, "family": task.split("/")[0], "task_version": "1", "variant": variant,
                    "ingredients": ingredients(variant), "temperature": temp, "taskset_version": taskset_version}
            if splits and task in splits:
                meta["split"] = splits[task]
            prompt = f"Implement {task} ({variant})."
            code = f"def answer():  # {task} {variant} epoch {epoch}\n    return {int(correct)}\n"
            score = make_score(demo, correct, variant, (failures or {}).get(task, "over_latency"),
                               (1.0 if correct else 0.25) if efficiency else None, code)
            usage = ModelUsage(input_tokens=100, output_tokens=40 + epoch, total_tokens=140 + epoch,
                               total_cost=None if usd_per_token is None else (140 + epoch) * usd_per_token)
            samples.append(EvalSample(id=sid, epoch=epoch, input=prompt, target="", metadata=meta,
                                      messages=[ChatMessageUser(content=prompt),
                                                ChatMessageAssistant(content=f"```python\n{code}```")],
                                      model_usage={model: usage}, total_time=2.0 + epoch,
                                      scores={"scale_correctness": score}))
    spec = EvalSpec(created="2025-01-01T00:00:00+00:00", task="scaleblind/scaleblind", model=model,
                    dataset=EvalDataset(name="scaleblind", samples=len(samples),
                                        sample_ids=sorted({s.id for s in samples}) if with_ids else None), config=EvalConfig(epochs=epochs),
                    run_id=run_id or uuid.uuid4().hex, eval_id=uuid.uuid4().hex, task_version=1,
                    model_args=model_args or {},
                    metadata={"taskset_version": taskset_version, "image_digest": "sha256:abc",
                              "packages": {"scaleblind": "0.1.0"}, "seed": 7} if provenance else None)
    return EvalLog(status="success", eval=spec, samples=samples)


def write_log(log: EvalLog, directory: Path, name: str) -> Path:
    """Write a log in inspect's binary `.eval` format, as a real run would."""
    path = directory / f"{name}.eval"
    write_eval_log(log, str(path))
    return path


TASKS = ["filters/faceted_catalog", "feeds/home_feed", "exports/csv_export", "search/typeahead",
         "sync/crm_sync", "filters/price_range"]


def standard_outcomes(strength: int) -> Outcomes:
    """A full design (all variants) over six tasks and 4 epochs; `strength` shifts the blueprint gain."""
    out: Outcomes = {}
    for i, task in enumerate(TASKS):
        out[(task, "vague", None)] = (4, i % 2)               # demo-correct, mostly scale-blind
        out[(task, "vague", 1.0)] = (4, (i + 1) % 2)
        out[(task, "blueprint", None)] = (4, min(4, 2 + strength))
        out[(task, "blueprint_no_role", None)] = (4, min(4, 1 + strength))
        out[(task, "blueprint_no_numbers", None)] = (4, 1)
        out[(task, "blueprint_no_boundaries", None)] = (4, 1)
        out[(task, "blueprint_no_analysis", None)] = (4, 1)
        out[(task, "blueprint_vague_scale", None)] = (4, 1)
        out[(task, "blueprint_analysis_after", None)] = (4, 1)
        out[(task, "role_only", None)] = (4, 0)
        out[(task, "design_then_implement", None)] = (4, i % 2)
    return out


@pytest.fixture
def log_dir(tmp_path: Path) -> Path:
    """Two models' logs: `strong` gains more from the blueprint than `weak`."""
    d = tmp_path / "logs"
    d.mkdir()
    write_log(build_log("mock/strong", standard_outcomes(2), epochs=4), d, "strong")
    write_log(build_log("mock/weak", standard_outcomes(0), epochs=4), d, "weak")
    return d
