"""The inspect scorer `scale_correctness`: grade the model's last answer in the sample's sandbox.

Score.value = {"scale_correct": 0/1, "correct_at_demo": 0/1, "scale_blind": 1/0/None, "efficiency": 0..1/None};
`scale_blind` is None when the code was not even correct at demo size, because scale blindness is only defined
among solutions that work at demo size; `efficiency` is the continuous score of graders/efficiency.py (None
only when the driver recorded no meters). inspect's stock `mean`/`stderr` turn None into 0 (with a warning), which would
silently count those samples as "not blind"; so the metrics here skip missing values, and the epoch reducer
maps None to NaN, which inspect's reducers already skip.
"""
from __future__ import annotations

import math
from typing import Any

from inspect_ai.scorer import Metric, SampleScore, Score, Target, Value, metric, scorer
from inspect_ai.solver import TaskState
from inspect_ai.util import sandbox

from ..tasks.registry import get_task
from .errors import HarnessError
from .explain import format_verdict
from .grade import DEFAULT_SEED, grade_answer, sample_seed

SCORE_KEYS = ("scale_correct", "correct_at_demo", "scale_blind", "efficiency")
CLUSTER_KEY = "task_id"


def score_value(verdict: dict[str, Any]) -> dict[str, int | float | None]:
    """Pure: the headline numbers of a verdict."""
    demo, correct = bool(verdict["correct_at_demo"]), bool(verdict["scale_correct"])
    return {"scale_correct": int(correct), "correct_at_demo": int(demo),
            "scale_blind": (0 if correct else 1) if demo else None,
            "efficiency": (verdict.get("efficiency") or {}).get("score")}


def none_as_nan(value: Value) -> float:
    """to_float for our keys: None (undefined) -> NaN, numbers and bools -> float."""
    if value is None:
        return math.nan
    if isinstance(value, (int, float, bool)):
        return float(value)
    raise ValueError(f"scale_correctness scores are numbers or None, got {value!r}")


def _defined(scores: list[SampleScore]) -> list[tuple[SampleScore, float]]:
    pairs = [(s, none_as_nan(s.score.value)) for s in scores]
    return [(s, v) for s, v in pairs if not math.isnan(v)]


@metric
def rate() -> Metric:
    """Mean over the samples where the value is defined; NaN (not 0) when none is."""

    def compute(scores: list[SampleScore]) -> float:
        values = [v for _, v in _defined(scores)]
        return sum(values) / len(values) if values else math.nan

    return compute


def clustered_stderr(groups: list[list[float]]) -> float:
    """Cluster-robust standard error of a mean (same estimator as inspect's `stderr(cluster=...)`)."""
    values = [v for group in groups for v in group]
    if len(groups) < 2:
        return math.nan if not values else 0.0
    mean = sum(values) / len(values)
    spread = sum(sum(v - mean for v in group) ** 2 for group in groups)
    return math.sqrt(spread * len(groups) / (len(groups) - 1)) / len(values)


@metric
def rate_stderr(cluster: str = CLUSTER_KEY) -> Metric:
    """Standard error of `rate`, clustered by task: the samples of one task are not independent."""

    def compute(scores: list[SampleScore]) -> float:
        groups: dict[Any, list[float]] = {}
        for sample, value in _defined(scores):
            groups.setdefault((sample.sample_metadata or {})[cluster], []).append(value)
        return clustered_stderr(list(groups.values()))

    return compute


def explanation(verdict: dict[str, Any], code: str | None) -> str:
    """What `inspect view` shows (as Markdown): the readable verdict in a fixed-width block, then the code."""
    text = f"```text\n{format_verdict(verdict)}\n```"
    return f"{text}\n\n```python\n{code}\n```" if code else text


@scorer(metrics={key: [rate(), rate_stderr()] for key in SCORE_KEYS})
def scale_correctness(seed: int | None = DEFAULT_SEED, tiers: list[str] | None = None, nonce: str | None = None):
    """Extract the code from the last assistant message and grade it tier by tier in `sandbox()`.

    With `seed` None every sample gets its own seed from the run's `nonce`, its id and its epoch (`sample_seed`),
    so answers memorised for some seed do not help; the seed is recorded in the score's metadata, its verdict
    and the sample's metadata, so a regrade with it (`scaleblind grade --seed N`) builds the same worlds.

    Every exception here is ours, never the answer's (whatever the solution does ends in a verdict): it is
    raised as HarnessError, so inspect records the sample as an error, retries it and does not score it."""
    if seed is None and not nonce:
        raise ValueError("per-sample seeds need the run's nonce")

    async def score(state: TaskState, target: Target) -> Score:
        used = seed if seed is not None else sample_seed(nonce, state.sample_id, state.epoch)
        state.metadata["seed"] = used
        try:
            spec = get_task(state.metadata["task_id"])
            verdict = await grade_answer(spec, _last_assistant(state), sandbox(), seed=used, tiers=tiers)
        except HarnessError:
            raise
        except Exception as exc:
            raise HarnessError(f"grading failed: {type(exc).__name__}: {exc}") from exc
        code = verdict.pop("code", None)
        return Score(value=score_value(verdict), answer=code or "", explanation=explanation(verdict, code),
                     metadata={"verdict": verdict, "seed": used})

    return score


def _last_assistant(state: TaskState) -> str:
    for message in reversed(state.messages):
        if message.role == "assistant":
            return message.text
    return ""
