"""`scaleblind run`: the evaluation through inspect's `eval_set`, then a summary table per model x variant.

`eval_set` makes a run resumable: run the same command again with the same log directory and inspect reuses
every finished sample and only runs what is missing. The log directory may hold other runs' logs too
(`log_dir_allow_dirty`), so everything lands under one `results/logs/` by default.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

DEFAULT_LOG_DIR = Path("results/logs")
OFFLINE_MODELS = ("reference/scalable", "reference/naive")
RETRY_ATTEMPTS = 2      # a grading crash is retried once; a rerun of the command resumes anyway
RETRY_WAIT_S = 5
SAMPLE_RETRIES = 2      # a sample that ends in a harness error is retried at once, then left unscored
MARKUP = re.compile(r"\[/?(?:bold|blue|red|yellow|green|italic)[^\]]*\]")


class RunError(Exception):
    """Bad input or an unusable model: the command line prints it as one line."""


@dataclass(frozen=True)
class RunOptions:
    models: list[str]
    tasks: list[str] | None
    variants: list[str]
    epochs: int
    sandbox: str
    log_dir: Path
    seed: int
    tiers: list[str] | None = None
    display: str | None = None
    max_samples: int | None = None   # samples in flight (inspect's default when None)


def one_line(message: str) -> str:
    """inspect's multi-line, rich-marked-up error as one plain line."""
    text = MARKUP.sub("", message).replace("ERROR:", " ")
    return " ".join(text.split())


def check_model(name: str) -> None:
    """Build the model once before anything runs, so a missing key or package is one clear line."""
    from inspect_ai.model import get_model
    try:
        get_model(name)
    except Exception as err:  # inspect raises PrerequisiteError, ValueError, provider SDK errors...
        text = one_line(str(err))
        hint = "missing API key: " if "API_KEY" in text else ""
        raise RunError(f"cannot use model {name}: {hint}{text}") from None


def build_task(options: RunOptions) -> Any:
    from .evaluation import scaleblind
    return scaleblind(tasks=options.tasks, variants=options.variants, tiers=options.tiers, seed=options.seed,
                      sandbox=options.sandbox)


def run(options: RunOptions) -> tuple[bool, list[Any]]:
    """Run (or resume) the eval set; returns inspect's (all finished, log headers)."""
    from inspect_ai import eval_set
    for model in options.models:
        check_model(model)
    options.log_dir.mkdir(parents=True, exist_ok=True)
    extra = {k: v for k, v in {"display": options.display, "max_samples": options.max_samples}.items() if v}
    return eval_set(tasks=[build_task(options)], model=options.models, log_dir=str(options.log_dir),
                    epochs=options.epochs, log_dir_allow_dirty=True, retry_attempts=RETRY_ATTEMPTS,
                    retry_wait=RETRY_WAIT_S, retry_on_error=SAMPLE_RETRIES, continue_on_fail=True, **extra)


def _rate(values: list[float | None]) -> float:
    defined = [v for v in values if v is not None and not math.isnan(v)]
    return sum(defined) / len(defined) if defined else math.nan


def summary_rows(logs: list[Any]) -> list[dict[str, Any]]:
    """Per model x variant label: samples scored and the three rates, from each log's per-epoch scores."""
    from inspect_ai.log import read_eval_log
    from .graders.scorer import SCORE_KEYS
    from .prompts.render import VariantRun
    groups: dict[tuple[str, str], dict[str, list]] = {}
    for header in logs:
        log = read_eval_log(header.location)
        for sample in log.samples or []:
            meta = sample.metadata or {}
            label = VariantRun(meta.get("variant", "?"), meta.get("temperature")).label
            group = groups.setdefault((log.eval.model, label), {key: [] for key in (*SCORE_KEYS, "errors")})
            score = (sample.scores or {}).get("scale_correctness")
            if score is None:
                group["errors"].append(1)
                continue
            for key in SCORE_KEYS:
                group[key].append(score.value.get(key))
    return [{"model": model, "variant": label, "n": len(g["scale_correct"]), "errors": len(g["errors"]),
             **{key: _rate(g[key]) for key in SCORE_KEYS}} for (model, label), g in sorted(groups.items())]


def format_summary(rows: list[dict[str, Any]]) -> str:
    def pct(value: float) -> str:
        return "   -" if math.isnan(value) else f"{value:4.0%}"

    lines = [f"{'model':<28} {'variant':<28} {'n':>4} {'scale-correct':>13} {'demo-correct':>12} {'blind':>6}"]
    for r in rows:
        errors = f"  ({r['errors']} errored)" if r["errors"] else ""
        lines.append(f"{r['model']:<28} {r['variant']:<28} {r['n']:>4} {pct(r['scale_correct']):>13} "
                     f"{pct(r['correct_at_demo']):>12} {pct(r['scale_blind']):>6}{errors}")
    lines.append("blind = share of demo-correct answers that are not scale-correct")
    return "\n".join(lines)
