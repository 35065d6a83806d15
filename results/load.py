"""Inspect eval logs -> tidy pandas frames (one row per sample, one row per sample x tier, one row per log).

Why not `inspect_ai.analysis.samples_df`: it returns dict scores as JSON strings and leaves out
`Score.metadata`, where the scorer keeps the full verdict (per-tier costs). inspect's `read_eval_log` gives typed
objects; it reads one whole log at a time, which measured ~10x faster than its per-sample streaming reader.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable
from urllib.parse import urlparse
from urllib.request import url2pathname

import pandas as pd
from inspect_ai.log import EvalLog, EvalSample, EvalSpec, list_eval_logs, read_eval_log

SCORER = "scale_correctness"
KEY = ["run_id", "eval_id", "sample_id", "epoch"]
INGREDIENTS = ["role", "numbers", "boundaries", "analysis_first", "analysis_after", "vague_scale", "two_turn"]
DEFAULT_SPLIT = "core"        # samples from before splits existed belong to the core task set
SAMPLE_COLUMNS = [
    "model", "model_label", "run_id", "eval_id", "sample_id", "epoch", "task", "family", "split", "task_version",
    "variant", "temperature", "taskset_version", "scored", "scale_correct", "correct_at_demo", "scale_blind",
    "highest_tier_passed", "failure", "failure_tier", "efficiency", "efficiency_definition", "growth_exponent",
    "complexity_class",
    "error", "message", "input_tokens", "output_tokens", "total_tokens", "cost_usd", "seconds",
    *[f"ing_{name}" for name in INGREDIENTS], "prompt", "code", "log_created", "log_path",
]
TIER_MEASURES = ["p95_latency_ms", "mean_latency_ms", "total_ms", "peak_memory_mb", "api_calls", "queries",
                 "db_bytes", "requests_total", "requests_done"]
BUDGETS = ["latency_ms_p95", "total_ms", "memory_mb"]
TIER_COLUMNS = [*KEY, "log_path", "model", "task", "family", "variant", "temperature", "tier", "tier_index", "size",
                "passed", "failure", *TIER_MEASURES, *[f"budget_{b}" for b in BUDGETS], "efficiency",
                "efficiency_over", "message", "diff"]
PROVENANCE_COLUMNS = ["log_path", "run_id", "eval_id", "model", "task", "status", "created", "taskset_version",
                      "image_digest", "seed", "packages", "inspect_version", "n_samples"]


@dataclass(frozen=True)
class Results:
    """Everything the statistics need: samples, per-tier measurements and where each log came from."""

    samples: pd.DataFrame
    tiers: pd.DataFrame
    provenance: pd.DataFrame


def find_log_files(paths: Iterable[Path]) -> list[Path]:
    """Expand directories to the log files inside them, so users can pass `runs/logs/` or single files."""
    found: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():   # inspect's own listing skips its manifests (eval-set.json, logs.json)
            found += [Path(url2pathname(urlparse(info.name).path)) if info.name.startswith("file:")
                      else Path(info.name) for info in list_eval_logs(str(path.resolve()), recursive=True)]
        elif path.is_file():
            found.append(path)
        else:
            raise ValueError(f"no such log file or directory: {path}")
    if not found:
        raise ValueError(f"no inspect logs (*.eval, *.json) found in: {', '.join(map(str, paths)) or '(none)'}")
    return sorted(set(found))


def _as_bool(value: Any) -> float:
    """0/1/True/False -> 1.0/0.0; None -> NaN, so means skip the missing values."""
    if value is None:
        return float("nan")
    return float(bool(value))


def verdict_fields(value: Any, verdict: dict[str, Any] | None) -> dict[str, Any]:
    """Flatten the scorer's value dict and verdict into columns; the value dict wins where both exist."""
    verdict = verdict or {}
    value = value if isinstance(value, dict) else {}
    growth = verdict.get("growth") or {}
    demo = value.get("correct_at_demo", verdict.get("correct_at_demo"))
    correct = value.get("scale_correct", verdict.get("scale_correct"))
    blind = value.get("scale_blind")
    if blind is None and demo:
        blind = not correct
    return {
        "scale_correct": _as_bool(correct),
        "correct_at_demo": _as_bool(demo),
        "scale_blind": _as_bool(blind) if demo else float("nan"),
        "highest_tier_passed": verdict.get("highest_tier_passed"),
        "failure": verdict.get("failure"),
        "failure_tier": verdict.get("failure_tier"),
        "growth_exponent": growth.get("exponent"),
        "complexity_class": growth.get("complexity_class"),
    }


def model_label(spec: EvalSpec) -> str:
    """The name a reader sees: a label the run carries (model arg `label`, eval metadata `model_label`), else
    the model name, with a replay model's folder path (not its label) cut to the folder's name."""
    label = (spec.model_args or {}).get("label") or (spec.metadata or {}).get("model_label")
    if label:
        return str(label)
    provider, _, name = spec.model.partition("/")
    # A replay model names itself by its folder's label (model.json) when it has one, else by the folder's path:
    # a label cannot start with "/", "." or "~", so only a path is cut to its last part.
    is_path = name.startswith(("/", ".", "~")) or Path(name).is_dir()
    return f"{provider}/{Path(name).name or name}" if provider == "replay" and is_path else spec.model


def usage_fields(sample: EvalSample) -> dict[str, Any]:
    """Tokens over every model the sample called, and the cost where inspect knew the price (NaN where not)."""
    usage = list((sample.model_usage or {}).values())
    costs = [u.total_cost for u in usage if u.total_cost is not None]
    return {"input_tokens": sum(u.input_tokens for u in usage) if usage else None,
            "output_tokens": sum(u.output_tokens for u in usage) if usage else None,
            "total_tokens": sum(u.total_tokens for u in usage) if usage else None,
            "cost_usd": float(sum(costs)) if costs else float("nan")}


def prompt_text(sample: EvalSample) -> str:
    """Every user turn the model saw, numbered when there are several (two-turn variants)."""
    turns = [m.text for m in sample.messages or [] if m.role == "user"]
    if not turns and isinstance(sample.input, str):
        turns = [sample.input]
    if len(turns) < 2:
        return turns[0] if turns else ""
    return "\n\n".join(f"--- turn {i} of {len(turns)} ---\n{text}" for i, text in enumerate(turns, 1))


def efficiency_score(verdict: dict[str, Any] | None) -> float:
    """The verdict's continuous efficiency score when the grader gives one (NaN before it existed)."""
    efficiency = (verdict or {}).get("efficiency")
    score = efficiency.get("score") if isinstance(efficiency, dict) else efficiency
    return float(score) if isinstance(score, (int, float)) and not isinstance(score, bool) else float("nan")


def efficiency_definition(verdict: dict[str, Any] | None) -> str | None:
    """Which definition of the score the grader used: scores of different definitions are not comparable."""
    efficiency = (verdict or {}).get("efficiency")
    return str(efficiency["definition"]) if isinstance(efficiency, dict) and efficiency.get("definition") else None


def tier_efficiency(verdict: dict[str, Any] | None) -> dict[str, dict[str, Any]]:
    """Per tier name: its efficiency score and the meters most over the reference's (`api_calls 2.0x`)."""
    efficiency = (verdict or {}).get("efficiency")
    tiers = (efficiency.get("tiers") or []) if isinstance(efficiency, dict) else []
    out = {}
    for tier in tiers:
        over = sorted(((part["ratio"], key) for key, part in (tier.get("components") or {}).items()
                       if part.get("ratio", 0) >= 1.05), reverse=True)
        out[tier.get("tier")] = {"efficiency": tier.get("score"),
                                 "efficiency_over": ", ".join(f"{key} {ratio:.1f}x" for ratio, key in over[:3]) or None}
    return out


def sample_row(log: EvalLog, sample: EvalSample, log_path: Path) -> dict[str, Any]:
    """One tidy row for one sample; a sample without our score (errored) keeps NaN verdict fields."""
    meta = sample.metadata or {}
    score = (sample.scores or {}).get(SCORER)
    verdict = (score.metadata or {}).get("verdict") if score is not None else None
    ingredients = meta.get("ingredients") or {}
    temperature = meta.get("temperature")
    return {
        "model": log.eval.model,
        "model_label": model_label(log.eval),
        "run_id": log.eval.run_id,
        "eval_id": log.eval.eval_id,
        "sample_id": str(sample.id),
        "epoch": int(sample.epoch),
        "task": meta.get("task_id"),
        "family": meta.get("family"),
        "split": meta.get("split") or DEFAULT_SPLIT,
        "task_version": None if meta.get("task_version") is None else str(meta["task_version"]),
        "variant": meta.get("variant"),
        "temperature": float("nan") if temperature is None else float(temperature),
        "taskset_version": meta.get("taskset_version") or (log.eval.metadata or {}).get("taskset_version"),
        "scored": score is not None,
        **verdict_fields(score.value if score is not None else None, verdict),
        "efficiency": efficiency_score(verdict),
        "efficiency_definition": efficiency_definition(verdict),
        "error": sample.error.message if sample.error is not None else None,
        "message": (verdict or {}).get("message") or None,
        **usage_fields(sample),
        "seconds": sample.total_time,
        **{f"ing_{name}": bool(ingredients.get(name, False)) for name in INGREDIENTS},
        "prompt": prompt_text(sample),
        "code": (score.answer or None) if score is not None else None,
        "log_created": log.eval.created,
        "log_path": str(log_path),
    }


def tier_rows(row: dict[str, Any], verdict: dict[str, Any] | None) -> list[dict[str, Any]]:
    """Per-tier measurements of one sample, keyed like the sample, for cost-versus-tier curves."""
    tiers = (verdict or {}).get("tiers") or []
    ident = {k: row[k] for k in [*KEY, "log_path", "model", "task", "family", "variant", "temperature"]}
    efficiency = tier_efficiency(verdict)
    return [
        {**ident, "tier": t.get("tier"), "tier_index": i, "size": t.get("size"), "passed": _tier_passed(t),
         "failure": t.get("failure"), **{m: t.get(m) for m in TIER_MEASURES},
         **{f"budget_{b}": (t.get("budget") or {}).get(b) for b in BUDGETS},
         "efficiency": efficiency.get(t.get("tier"), {}).get("efficiency"),
         "efficiency_over": efficiency.get(t.get("tier"), {}).get("efficiency_over"), "message": t.get("message"),
         "diff": json.dumps(t["diff"], sort_keys=True, default=str) if t.get("diff") else None}
        for i, t in enumerate(tiers)
    ]


def _tier_passed(tier: dict[str, Any]) -> float:
    """The grader's tiers say `failure` (None = passed); older records said `passed`."""
    if "passed" in tier:
        return _as_bool(tier["passed"])
    return float(tier.get("failure") is None) if "failure" in tier else float("nan")


def provenance_row(log: EvalLog, log_path: Path, n_samples: int) -> dict[str, Any]:
    """Where a log came from, so a merged leaderboard can say which task set, image and packages it used."""
    meta = log.eval.metadata or {}
    packages = meta.get("packages") or log.eval.packages or {}
    return {
        "log_path": str(log_path), "run_id": log.eval.run_id, "eval_id": log.eval.eval_id, "model": log.eval.model,
        "task": log.eval.task, "status": log.status, "created": log.eval.created,
        "taskset_version": meta.get("taskset_version"), "image_digest": meta.get("image_digest"),
        "seed": meta.get("seed"), "packages": json.dumps(packages, sort_keys=True),
        "inspect_version": (log.eval.packages or {}).get("inspect_ai"), "n_samples": n_samples,
    }


def read_one_log(path: Path) -> tuple[list[dict[str, Any]], list[dict[str, Any]], dict[str, Any]]:
    """One log's samples as sample rows, tier rows and a provenance row (one log in memory at a time)."""
    try:
        log = read_eval_log(str(path))
    except Exception as err:  # inspect raises many kinds on a corrupt or foreign file
        raise ValueError(f"not a readable inspect log: {path} ({type(err).__name__})") from err
    samples, tiers = [], []
    for sample in log.samples or []:
        row = sample_row(log, sample, path)
        score = (sample.scores or {}).get(SCORER)
        samples.append(row)
        tiers += tier_rows(row, (score.metadata or {}).get("verdict") if score is not None else None)
    return samples, tiers, provenance_row(log, path, len(samples))


def dedupe(samples: pd.DataFrame) -> pd.DataFrame:
    """Keep one row per (run, eval, sample, epoch): the scored one from the newest log wins.

    The same log copied between machines, or a retried eval, would otherwise count samples twice.
    """
    if samples.empty:
        return samples
    ordered = samples.sort_values(["scored", "log_created", "log_path"], kind="stable")
    return ordered.drop_duplicates(KEY, keep="last").sort_values(
        ["model", "task", "variant", "epoch", "sample_id"], kind="stable").reset_index(drop=True)


def check_taskset_versions(samples: pd.DataFrame, allow_mixed: bool) -> None:
    """Refuse to compare numbers from different task sets: a changed task or budget changes every rate."""
    versions = sorted(samples["taskset_version"].fillna("unknown").astype(str).unique())
    if len(versions) > 1 and not allow_mixed:
        raise ValueError(f"logs mix task-set versions {', '.join(versions)}; pass --allow-mixed to combine them")
    definitions = sorted(samples["efficiency_definition"].dropna().astype(str).unique())
    if len(definitions) > 1 and not allow_mixed:
        raise ValueError(f"logs mix efficiency-score definitions {', '.join(definitions)}; regrade, or pass "
                         "--allow-mixed to combine them")


def load_results(paths: Iterable[Path], allow_mixed: bool = False) -> Results:
    """Read any number of logs (several models, runs, machines) into deduplicated tidy frames."""
    sample_rows, tier_rows_, provenance = [], [], []
    for path in find_log_files(paths):
        rows, tiers, prov = read_one_log(path)
        sample_rows += rows
        tier_rows_ += tiers
        provenance.append(prov)
    samples = dedupe(pd.DataFrame(sample_rows, columns=SAMPLE_COLUMNS))
    if samples.empty:
        raise ValueError("the logs contain no samples")
    check_taskset_versions(samples, allow_mixed)
    tiers = pd.DataFrame(tier_rows_, columns=TIER_COLUMNS)
    kept = samples[[*KEY, "log_path"]].merge(tiers, on=[*KEY, "log_path"], how="inner") if len(tiers) else tiers
    return Results(samples=samples, tiers=kept, provenance=pd.DataFrame(provenance, columns=PROVENANCE_COLUMNS))
