"""The leaderboard page: one self-contained `index.html` that needs no network and no README.

Python ships the data as one JSON document inside the page; plain JavaScript (`templates/page.js`) draws the
tables, the model x task heatmap, the failure bars and the per-sample drill-down from it. Everything is data
plus column specs: adding a column to a table is one `Column(...)` line here (the row already carries the field,
or gains it in one line), and a column whose values are all missing (the efficiency score, in logs from before
the grader gave one) is left out.

Model answers are untrusted text: the page only ever inserts them with `textContent`, and the JSON is escaped
so no `</script>` in an answer can end the data block.
"""

from __future__ import annotations

import html
import json
import math
from dataclasses import asdict, dataclass
from pathlib import Path
from string import Template
from typing import Any

import pandas as pd

from scaleblind.graders.explain import against_budget
from scaleblind.graders.growth import fit_exponent
from scaleblind.graders.verdict import FAILURES
from scaleblind.results.load import KEY, Results
from scaleblind.results.report import jsonable, records

TEMPLATES = Path(__file__).parent / "templates"
ALL_SPLITS = "all"
SCALE_CORRECT, ERRORED = "scale_correct", "error"


@dataclass(frozen=True)
class Column:
    """One table column: which field, its header, how the page formats and sorts it, what it means."""

    key: str
    label: str
    kind: str = "text"        # text, int, num, pct, rate_ci, p, usd, score, outcome, rank, seconds
    help: str = ""            # the header's tooltip, so the page reads without the README
    optional: bool = False    # left out when no row has a value


@dataclass(frozen=True)
class Metric:
    """A heatmap mode: the per-sample field averaged in each model x task cell."""

    key: str
    label: str
    top: float = 1.0          # the value that gets the darkest colour
    optional: bool = False


LEADERBOARD_COLUMNS = [
    Column("rank", "rank", "rank", "1 + the number of models whose 95% interval lies wholly above this one; =k: tied"),
    Column("model_label", "model"),
    Column("blueprint", "blueprint", "rate_ci", "scale-correct rate under the blueprint prompt [95% CI over tasks]"),
    Column("vague", "vague", "rate_ci", "scale-correct rate under the plain (vague) prompt [95% CI over tasks]"),
    Column("lift", "lift", "rate_ci", "blueprint minus vague, paired within task [95% CI]"),
    Column("lift_p", "p (lift)", "p", "two-sided Wilcoxon signed-rank test on the per-task differences"),
    Column("vague_blindness", "vague blindness", "pct",
           "scale blindness under the vague prompt: among answers correct at demo size, the share not scale-correct"),
    Column("efficiency_blueprint", "efficiency (blueprint)", "score",
           "mean efficiency score under the blueprint prompt (cost against the reference's; higher is better)",
           optional=True),
    Column("efficiency_vague", "efficiency (vague)", "score", "mean efficiency score under the vague prompt",
           optional=True),
    Column("tasks", "tasks", "int", "tasks with blueprint answers"),
    Column("samples", "samples", "int", "graded answers of this model, all variants"),
]
USAGE_COLUMNS = [
    Column("model_label", "model"),
    Column("samples", "samples", "int"),
    Column("input_tokens", "input tokens", "int", "prompt tokens, every turn, as inspect counted them"),
    Column("output_tokens", "output tokens", "int"),
    Column("tokens_per_sample", "tokens / sample", "int"),
    Column("cost_usd", "cost", "usd", "total, where inspect knows the model's price"),
    Column("cost_per_sample", "cost / sample", "usd"),
    Column("cost_per_scale_correct", "cost / scale-correct answer", "usd", "total cost / scale-correct answers"),
    Column("seconds_per_sample", "seconds / sample", "seconds", "wall time per sample: answer plus grading"),
]
SAMPLE_TABLE = [
    Column("model_label", "model"),
    Column("task", "task"),
    Column("split", "split"),
    Column("variant", "variant", help="the prompt variant (@t=: temperature)"),
    Column("epoch", "epoch", "int"),
    Column("outcome", "verdict", "outcome", "scale-correct, or why not (the first failing tier's reason)"),
    Column("failure_tier", "failed at", help="the first tier that failed"),
    Column("efficiency", "efficiency", "score", "cost against the reference's at the tiers run; higher is better",
           optional=True),
    Column("growth_exponent", "growth", "num", "fitted exponent k of mean latency ~ size^k over the tiers run"),
    Column("total_tokens", "tokens", "int"),
    Column("cost_usd", "cost", "usd", optional=True),
    Column("seconds", "seconds", "seconds", "wall time: answer plus grading"),
]
TIER_TABLE = [
    Column("tier", "tier"),
    Column("size", "size", "int", "the tier's headline data size (rows, products, posts...)"),
    Column("result", "result", "outcome"),
    Column("p95_latency_ms", "p95 latency / budget", "num", "95th-percentile request latency against the budget"),
    Column("total_ms", "total / budget", "num", "whole-tier time (batch jobs) against the budget"),
    Column("peak_memory_mb", "peak memory / budget", "num", "peak resident memory of the solution process"),
    Column("requests", "requests", help="requests answered / sent"),
    Column("api_calls", "API calls", "int"),
    Column("queries", "queries", "int"),
    Column("efficiency", "efficiency", "score", "this tier's efficiency score: its meters against the reference's on "
           "the same world (1 = as cheap; 0 = 100x or more, or the tier failed)"),
    Column("efficiency_over", "over the reference", help="the meters that cost most over the reference's"),
]
PROVENANCE_COLUMNS = [
    Column("log", "log"), Column("model", "model"), Column("status", "status"), Column("run_id", "run"),
    Column("created", "created"), Column("taskset_version", "task set", help="hash of every task's spec and code"),
    Column("image_digest", "sandbox image", help="tag of the sandbox image: a hash of its inputs"),
    Column("seed", "seed", "int"), Column("n_samples", "samples", "int"),
]
HEAT_METRICS = [
    Metric("scale_correct", "scale-correct rate"),
    Metric("correct_at_demo", "correct at demo size"),
    Metric("efficiency", "efficiency score", optional=True),
]
OUTCOME_COLOURS = {SCALE_CORRECT: "#2e7d32", "wrong_output": "#c62828", "over_latency": "#ef6c00",
                   "over_memory": "#6a1b9a", "rate_limited": "#0277bd", "query_cap": "#00838f", "crash": "#4e342e",
                   "timeout": "#ad1457", "no_code": "#757575", "syntax_error": "#9e9d24", "missing_entry": "#5d4037",
                   ERRORED: "#212121"}
OUTCOME_HELP = {SCALE_CORRECT: "correct within every budget at every tier",
                "wrong_output": "an answer differed from the reference's", "over_latency": "p95 latency over budget",
                "over_memory": "peak memory over budget", "rate_limited": "waiting on the API's rate limit blew the budget",
                "query_cap": "more queries per request than the database allows", "crash": "the code raised",
                "timeout": "killed after the tier's wall-clock limit", "no_code": "no code in the answer",
                "syntax_error": "the code does not parse", "missing_entry": "the contract's function is missing",
                ERRORED: "the sample failed before it was graded (see inspect's log)"}


def outcomes() -> list[dict[str, str]]:
    """Every outcome a sample can have, in the order of the failure bars (graders/verdict.py names them)."""
    keys = [SCALE_CORRECT, *FAILURES, ERRORED]
    return [{"key": k, "label": k.replace("_", " "), "color": OUTCOME_COLOURS.get(k, "#999"),
             "help": OUTCOME_HELP.get(k, "")} for k in keys]


def outcome(row: dict[str, Any]) -> str:
    """One word for what happened to a sample: scale_correct, its failure reason, or `error`."""
    if not row["scored"]:
        return ERRORED
    return SCALE_CORRECT if row["scale_correct"] == 1 else (row["failure"] or ERRORED)


class Texts:
    """Prompts and answers stored once each: many samples share one prompt, and a model often repeats itself."""

    def __init__(self) -> None:
        self.items: list[str] = []
        self.index: dict[str, int] = {}

    def add(self, text: Any) -> int | None:
        if not isinstance(text, str) or not text:
            return None
        if text not in self.index:
            self.index[text] = len(self.items)
            self.items.append(text)
        return self.index[text]


def growth_fit(tiers: list[dict[str, Any]]) -> dict[str, Any]:
    """The points behind the growth exponent (size, mean latency) and the fitted line's two ends, for a plot."""
    points = [(t["size"], t["mean_latency_ms"]) for t in tiers
              if t.get("size") and t.get("mean_latency_ms") and t["mean_latency_ms"] > 0]
    slope = fit_exponent([p[0] for p in points], [p[1] for p in points])
    if slope is None:
        return {"points": points, "line": []}
    logs = [(math.log(x), math.log(y)) for x, y in points]
    intercept = sum(y for _, y in logs) / len(logs) - slope * sum(x for x, _ in logs) / len(logs)
    ends = [min(p[0] for p in points), max(p[0] for p in points)]
    return {"points": points, "line": [(x, math.exp(intercept + slope * math.log(x))) for x in ends]}


def tier_record(tier: dict[str, Any]) -> dict[str, Any]:
    """A tier as the drill-down shows it: each measure against its budget (the CLI's wording) and raw values."""
    measures = {"p95_latency_ms": ("budget_latency_ms_p95", "ms"), "total_ms": ("budget_total_ms", "ms"),
                "peak_memory_mb": ("budget_memory_mb", "MB")}
    record = {"tier": tier["tier"], "size": tier["size"], "result": none(tier["failure"]) or "pass",
              "requests": f"{none(tier['requests_done']) or 0:.0f} / {none(tier['requests_total']) or 0:.0f}",
              "api_calls": none(tier["api_calls"]), "queries": none(tier["queries"]), "message": none(tier["message"]),
              "efficiency": none(tier["efficiency"]), "efficiency_over": none(tier["efficiency_over"]),
              "diff": json.loads(tier["diff"]) if isinstance(tier["diff"], str) else None}
    for key, (budget, unit) in measures.items():
        record[key] = none(tier[key])
        record[f"{key}_text"] = against_budget(none(tier[key]), none(tier[budget]), unit)
    return record


def none(value: Any) -> Any:
    """NaN (pandas' missing) as None."""
    return None if value is None or (isinstance(value, float) and math.isnan(value)) else value


def sample_records(res: Results, texts: Texts) -> list[dict[str, Any]]:
    """One record per sample for the sample table and its drill-down."""
    tiers: dict[tuple, list[dict[str, Any]]] = {}
    for tier in res.tiers.sort_values([*KEY, "tier_index"]).to_dict("records"):
        tiers.setdefault(tuple(tier[k] for k in KEY), []).append(tier)
    rows = []
    for i, row in enumerate(res.samples.to_dict("records")):
        own = tiers.get(tuple(row[k] for k in KEY), [])
        label = row["variant"] if pd.isna(row["temperature"]) else f"{row['variant']}@t={row['temperature']:g}"
        rows.append({
            "id": i, "model": row["model"], "model_label": row["model_label"], "task": row["task"],
            "family": row["family"], "split": row["split"], "variant": label, "epoch": row["epoch"],
            "outcome": outcome(row), "scale_correct": none(row["scale_correct"]),
            "correct_at_demo": none(row["correct_at_demo"]), "failure_tier": row["failure_tier"],
            "highest_tier_passed": row["highest_tier_passed"], "efficiency": none(row["efficiency"]),
            "growth_exponent": none(row["growth_exponent"]), "complexity_class": row["complexity_class"],
            "input_tokens": none(row["input_tokens"]), "output_tokens": none(row["output_tokens"]),
            "total_tokens": none(row["total_tokens"]), "cost_usd": none(row["cost_usd"]),
            "seconds": none(row["seconds"]), "message": none(row["message"]) or none(row["error"]),
            "ingredients": [k.removeprefix("ing_") for k, v in row.items() if k.startswith("ing_") and v],
            "prompt": texts.add(row["prompt"]), "code": texts.add(row["code"]),
            "tiers": [tier_record(t) for t in own], "growth": growth_fit(own),
        })
    return rows


def present(columns: list[Column], rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Column specs for the page, without optional columns that no row fills."""
    return [asdict(c) for c in columns if not c.optional or any(none(r.get(c.key)) is not None for r in rows)]


def heat_metrics(samples: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Heatmap modes with data; the efficiency score's top is 100 when the grader scores out of 100."""
    found = []
    for metric in HEAT_METRICS:
        values = [s[metric.key] for s in samples if s.get(metric.key) is not None]
        if metric.optional and not values:
            continue
        top = 100.0 if values and max(values) > 1 else metric.top
        found.append({**asdict(metric), "top": top})
    return found


def family_columns(board: pd.DataFrame) -> list[Column]:
    return [Column(c, c.removeprefix("family_"), "pct", f"blueprint scale-correct rate on the "
                   f"{c.removeprefix('family_')} tasks") for c in board.columns if c.startswith("family_")]


def page_data(res: Results, boards: dict[str, pd.DataFrame], usage: pd.DataFrame) -> dict[str, Any]:
    """Everything the page shows, as one JSON-safe document."""
    texts = Texts()
    samples = sample_records(res, texts)
    board_rows = {split: records(board) for split, board in boards.items()}
    all_rows = [r for rows in board_rows.values() for r in rows]
    families = family_columns(boards[ALL_SPLITS])
    leaderboard_cols = LEADERBOARD_COLUMNS[:-2] + families + LEADERBOARD_COLUMNS[-2:]
    usage_rows = records(usage)
    splits = sorted({s["split"] for s in samples})
    return jsonable({
        "splits": splits, "leaderboards": board_rows, "usage": usage_rows,
        "tasks": [{"task": t, "family": f, "split": s} for t, f, s in
                  sorted({(r["task"], r["family"], r["split"]) for r in samples if r["task"]})],
        "columns": {"leaderboard": present(leaderboard_cols, all_rows), "usage": present(USAGE_COLUMNS, usage_rows),
                    "samples": present(SAMPLE_TABLE, samples), "tiers": [asdict(c) for c in TIER_TABLE],
                    "provenance": [asdict(c) for c in PROVENANCE_COLUMNS]},
        "metrics": heat_metrics(samples), "outcomes": outcomes(), "samples": samples, "texts": texts.items,
        "priced": bool(usage["priced"].sum()) if len(usage) else False,
        "provenance": records(res.provenance.assign(log=res.provenance["log_path"].map(lambda p: Path(p).name))),
    })


def script_json(data: Any) -> str:
    """JSON that is safe inside <script>: ASCII only and no `</` (an answer cannot close the block)."""
    return json.dumps(data, ensure_ascii=True, allow_nan=False, separators=(",", ":")).replace("</", "<\\/")


def render_page(res: Results, boards: dict[str, pd.DataFrame], usage: pd.DataFrame, plots: dict[str, str],
                summary: str, generated: str) -> str:
    """The whole page: template + inlined stylesheet, script, plots and data."""
    return Template((TEMPLATES / "leaderboard.html").read_text(encoding="utf-8")).substitute(
        summary=html.escape(summary), generated=html.escape(generated),
        style=(TEMPLATES / "page.css").read_text(encoding="utf-8"),
        script=(TEMPLATES / "page.js").read_text(encoding="utf-8"),
        data=script_json(page_data(res, boards, usage)),
        forest_src=plots["forest"], costs_src=plots["costs"])
