"""`scaleblind run`: the evaluation through inspect's `eval_set`, then a summary table per model x variant.

`eval_set` makes a run resumable: run the same command again with the same log directory and inspect reuses
every finished sample and only runs what is missing. The log directory may hold other runs' logs too
(`log_dir_allow_dirty`), so everything lands under one `runs/logs/` by default.

Run outputs (logs, report, leaderboard files, the page, the dataset export) all go to one folder that holds
nothing else, `runs/` in the working directory or `$SCALEBLIND_RUNS`; `results/` holds only code.
"""
from __future__ import annotations

import math
import os
import re
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator, TextIO

RUNS_ENV = "SCALEBLIND_RUNS"
DEFAULT_RUNS_DIR = Path("runs")
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
    seed: int | None                 # None: a fresh seed per sample (recorded in its score)
    tiers: list[str] | None = None
    display: str | None = None
    max_samples: int | None = None   # samples in flight (inspect's default when None)
    split: str | None = None         # only this split's tasks (core, hard)


def runs_dir() -> Path:
    """The one folder for every run output (ignored by git as a whole); `$SCALEBLIND_RUNS` moves it."""
    return Path(os.environ.get(RUNS_ENV) or DEFAULT_RUNS_DIR)


def default_log_dir() -> Path:
    return runs_dir() / "logs"


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
                      sandbox=options.sandbox, split=options.split)


def run(options: RunOptions, out: TextIO | None = None) -> tuple[bool, list[Any]]:
    """Run (or resume) the eval set; returns inspect's (all finished, log headers).

    Where `out` is not a terminal (CI, a pipe, a log file) inspect's live display shows nothing until the end,
    so unless a display was asked for, inspect only logs (warnings and errors stay visible) and a progress line
    is printed per finished sample.
    """
    from inspect_ai import eval_set
    out = out or sys.stdout
    for model in options.models:
        check_model(model)
    options.log_dir.mkdir(parents=True, exist_ok=True)
    display = options.display or (None if out.isatty() else "log")
    extra = {k: v for k, v in {"display": display, "max_samples": options.max_samples}.items() if v}
    task = build_task(options)
    if not out.isatty():
        print(f"scaleblind run: {len(task.dataset) * options.epochs * len(options.models)} samples "
              f"({len(options.models)} model(s) x {len(task.dataset)} task-variant(s) x {options.epochs} epoch(s)), "
              f"sandbox {options.sandbox}; a line per finished sample (samples already in {options.log_dir} are "
              "reused)", file=out, flush=True)
    with progress_lines(out, enabled=not out.isatty()):
        return eval_set(tasks=[task], model=options.models, log_dir=str(options.log_dir),
                        epochs=options.epochs, log_dir_allow_dirty=True, retry_attempts=RETRY_ATTEMPTS,
                        retry_wait=RETRY_WAIT_S, retry_on_error=SAMPLE_RETRIES,
                        continue_on_fail=True, **extra)


# ------------------------------------------------------------------ progress: one line per finished sample

@dataclass
class Progress:
    """What the progress hook needs: where to print, since when, how many so far, which eval is which model."""

    out: TextIO | None = None
    started: float = 0.0
    done: int = 0
    models: dict[str, str] = field(default_factory=dict)


PROGRESS = Progress()
_hook_registered = False


def verdict_text(sample: Any) -> str:
    """A finished sample's outcome in a few words: scale-correct, the failure and where, or the error."""
    if sample.error is not None:
        return "error: " + one_line(sample.error.message)[:80]
    score = (sample.scores or {}).get("scale_correctness")
    verdict = (score.metadata or {}).get("verdict") if score is not None else None
    if not verdict:
        return "not scored"
    if verdict.get("scale_correct"):
        return "scale-correct"
    where = f" at {verdict['failure_tier']}" if verdict.get("failure_tier") else ""
    return f"{verdict.get('failure')}{where}" + (" (demo ok)" if verdict.get("correct_at_demo") else "")


def progress_line(done: int, elapsed_s: float, model: str, sample: Any) -> str:
    """`[  3  0:42] reference/naive  filters/faceted_catalog  blueprint  over_latency at launch (demo ok)  4.2 s`"""
    from .prompts.render import VariantRun
    meta = sample.metadata or {}
    variant = VariantRun(meta.get("variant", "?"), meta.get("temperature")).label
    epoch = f" #{sample.epoch}" if sample.epoch and sample.epoch > 1 else ""
    minutes, seconds = divmod(int(elapsed_s), 60)
    took = "-" if sample.total_time is None else f"{sample.total_time:.1f} s"
    return (f"[{done:>4} {minutes:>3}:{seconds:02d}] {model:<24} {meta.get('task_id', '?'):<30} "
            f"{variant + epoch:<24} {verdict_text(sample):<38} {took}")


def register_progress_hook() -> None:
    """Register (once per process) the inspect hook that prints progress lines while PROGRESS.out is set."""
    global _hook_registered
    if _hook_registered:
        return
    from inspect_ai.hooks import Hooks, SampleEnd, TaskStart, hooks

    from .results.load import model_label

    @hooks(name="scaleblind_progress", description="one line per finished sample when output is not a terminal")
    class ProgressLines(Hooks):
        def enabled(self) -> bool:
            return PROGRESS.out is not None

        async def on_task_start(self, data: TaskStart) -> None:
            PROGRESS.models[data.eval_id] = model_label(data.spec)

        async def on_sample_end(self, data: SampleEnd) -> None:
            if PROGRESS.out is None:
                return
            PROGRESS.done += 1
            line = progress_line(PROGRESS.done, time.monotonic() - PROGRESS.started,
                                 PROGRESS.models.get(data.eval_id, "?"), data.sample)
            print(line, file=PROGRESS.out, flush=True)

    _hook_registered = True


@contextmanager
def progress_lines(out: TextIO, enabled: bool) -> Iterator[None]:
    """Progress lines to `out` while an eval set runs (nothing when not enabled)."""
    if enabled:
        register_progress_hook()
        PROGRESS.out, PROGRESS.started, PROGRESS.done = out, time.monotonic(), 0
    try:
        yield
    finally:
        PROGRESS.out = None


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

    def score(value: float | None) -> str:
        return "   -" if value is None or math.isnan(value) else f"{value:4.2f}"

    lines = [f"{'model':<28} {'variant':<28} {'n':>4} {'scale-correct':>13} {'demo-correct':>12} {'blind':>6} "
             f"{'efficiency':>10}"]
    for r in rows:
        errors = f"  ({r['errors']} errored)" if r["errors"] else ""
        lines.append(f"{r['model']:<28} {r['variant']:<28} {r['n']:>4} {pct(r['scale_correct']):>13} "
                     f"{pct(r['correct_at_demo']):>12} {pct(r['scale_blind']):>6} "
                     f"{score(r.get('efficiency')):>10}{errors}")
    lines.append("blind = share of demo-correct answers that are not scale-correct; efficiency = mean score "
                 "against the reference's cost (docs/efficiency.md)")
    return "\n".join(lines)
