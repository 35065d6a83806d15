"""`scaleblind report`: rates, the declared comparisons and a verdict on each claim, as Markdown and JSON.

The JSON holds every number the Markdown shows (and more), so other tools never parse the Markdown.
"""

from __future__ import annotations

import json
import math
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from scaleblind.results import claims, stats
from scaleblind.results.load import Results, load_results

REPORT_VERSION = "1"
RATE_BY = ["model", "variant", "temperature"]
METRIC_LABELS = {"scale_correct": "scale-correct", "correct_at_demo": "demo-correct", "scale_blind": "scale-blind"}


def jsonable(value: Any) -> Any:
    """NaN/inf -> None and numpy scalars -> Python, so the JSON is strict and loads anywhere."""
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """DataFrame -> list of JSON-safe dicts."""
    return jsonable(frame.astype(object).where(frame.notna(), None).to_dict("records"))


def wide_rates(samples: pd.DataFrame, n_boot: int, seed: int) -> pd.DataFrame:
    """One row per model x variant x temperature with each metric's rate and CI side by side."""
    long = stats.rate_table(samples, RATE_BY, n_boot=n_boot, seed=seed)
    parts = []
    for metric, group in long.groupby("metric", sort=False):
        part = group.set_index(RATE_BY)[["rate", "ci_low", "ci_high", "n_samples", "n_tasks"]]
        parts.append(part.add_prefix(f"{metric}_"))
    wide = pd.concat(parts, axis=1).reset_index()
    return wide.rename(columns={"scale_correct_n_tasks": "n_tasks", "scale_correct_n_samples": "n_samples"})


def inputs_summary(res: Results) -> dict[str, Any]:
    """What data the report used: counts, names and provenance of every log read."""
    s = res.samples
    return {"n_logs": len(res.provenance), "n_samples": len(s), "n_scored": int(s["scored"].sum()),
            "models": sorted(s["model"].unique()), "tasks": sorted(s["task"].dropna().unique()),
            "families": sorted(s["family"].dropna().unique()), "variants": sorted(s["variant"].dropna().unique()),
            "taskset_versions": sorted(s["taskset_version"].fillna("unknown").astype(str).unique()),
            "provenance": records(res.provenance)}


def build_report(res: Results, n_boot: int = stats.N_BOOT, seed: int = stats.SEED) -> dict[str, Any]:
    """All numbers of the report as one JSON-safe dict."""
    comparisons = claims.evaluate_claims(res.samples, n_boot, seed)
    return {
        "report_version": REPORT_VERSION,
        "generated": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "settings": {"alpha": stats.ALPHA, "power": stats.POWER, "sesoi": claims.SESOI,
                     "blindness_threshold": claims.BLINDNESS_THRESHOLD, "ci_level": stats.CI_LEVEL,
                     "n_boot": n_boot, "seed": seed, "min_tasks_for_ci": stats.MIN_CLUSTERS_FOR_CI},
        "inputs": inputs_summary(res),
        "claims": records(claims.claim_table(comparisons)),
        "comparisons": records(comparisons),
        "rates": records(wide_rates(res.samples, n_boot, seed)),
        "efficiency": records(claims.evaluate_efficiency(res.samples, n_boot, seed)),
    }


def fmt(x: Any, digits: int = 2) -> str:
    """A number for a table; missing -> an en dash rather than 'nan'."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "–"
    return f"{x:.{digits}f}" if isinstance(x, float) else str(x)


def fmt_p(p: Any) -> str:
    """p-values: three decimals, or '<0.001'."""
    if p is None:
        return "–"
    return "<0.001" if p < 0.001 else f"{p:.3f}"


def fmt_ci(rate: Any, low: Any, high: Any) -> str:
    """'0.62 [0.54, 0.71]'; the interval is left out when the data are too thin for one."""
    return fmt(rate) + ("" if low is None else f" [{fmt(low)}, {fmt(high)}]")


def md_table(header: list[str], rows: list[list[str]]) -> list[str]:
    """A GitHub Markdown table."""
    escape = [[str(c).replace("|", "\\|") for c in r] for r in rows]
    return ["| " + " | ".join(header) + " |", "|" + "---|" * len(header), *["| " + " | ".join(r) + " |" for r in escape]]


def comparison_lines(rows: list[dict[str, Any]]) -> list[str]:
    """The comparisons of one scope, with everything needed to judge them."""
    header = ["id", "comparison", "tasks", "pairs", "treatment / control rate", "effect [95% CI]",
              "rank-biserial", "p (Wilcoxon)", "p (Holm)", "McNemar p (n10/n01)", "MDE", "verdict", "to settle"]
    body = [[r["id"], r["question"], fmt(r["n_tasks"], 0), fmt(r["n_pairs"], 0),
             f"{fmt(r['treatment_rate'])} / {fmt(r['control_rate'])}", fmt_ci(r["effect"], r["ci_low"], r["ci_high"]),
             fmt(r["rank_biserial"]), fmt_p(r["p_wilcoxon"]), fmt_p(r["p_holm"]),
             f"{fmt_p(r['p_mcnemar'])} ({fmt(r['n10'], 0)}/{fmt(r['n01'], 0)})", fmt(r["mde"]),
             f"**{r['verdict']}**", r["next_step"] or ""] for r in rows]
    return md_table(header, body)


def efficiency_lines(rows: list[dict[str, Any]]) -> list[str]:
    """The comparisons of one scope on the efficiency score (mean paired difference within task)."""
    header = ["id", "comparison", "tasks", "pairs", "treatment / control mean", "difference [95% CI]",
              "rank-biserial", "p (Wilcoxon)", "p (Holm)"]
    body = [[r["id"], r["question"], fmt(r["n_tasks"], 0), fmt(r["n_pairs"], 0),
             f"{fmt(r['treatment_mean'])} / {fmt(r['control_mean'])}",
             fmt_ci(r["effect"], r["ci_low"], r["ci_high"]),
             fmt(r["rank_biserial"]), fmt_p(r["p_wilcoxon"]), fmt_p(r["p_holm"])] for r in rows]
    return md_table(header, body)


EFFICIENCY_NOTE = """The efficiency score (docs/efficiency.md) is each answer's platform cost against the reference's on the same
world, in [0, 1]; it separates answers the binary verdict ties (both pass, one at ten times the cost). Same
pairing, interval and test as the claims (Wilcoxon signed-rank on per-task mean differences, the p-value scipy's
exact test gives), Holm-corrected within each scope. Reported beside the claims, not as their verdicts."""


def rate_lines(rates: list[dict[str, Any]]) -> list[str]:
    """Per model x variant rates with CIs."""
    header = ["model", "variant", "temperature", "tasks", "samples",
              *[f"{label} [95% CI]" for label in METRIC_LABELS.values()]]
    body = [[r["model"], r["variant"], fmt(r["temperature"], 1), fmt(r["n_tasks"], 0), fmt(r["n_samples"], 0),
             *[fmt_ci(r[f"{m}_rate"], r[f"{m}_ci_low"], r[f"{m}_ci_high"]) for m in METRIC_LABELS]] for r in rates]
    return md_table(header, body)


METHOD = """\
Unit of replication: the task. Effects are mean per-task differences (treatment - control), pairing within
model and task; intervals are percentile cluster bootstraps over tasks ({n_boot} resamples, seed {seed}; none
with fewer than {min_tasks} tasks). p-values: two-sided Wilcoxon signed-rank on per-task rates, Holm-corrected
across the comparisons of each scope. McNemar (exact, pairs by model x task x epoch) is shown for reference only:
it treats epochs of one task as independent. Verdicts (fixed in advance): supported when the Holm p < {alpha} in
the predicted direction; refuted when significant the other way or when the CI rules out a gain of {sesoi}
(superiority) or excludes the threshold; H3 is supported when the CI's upper end stays below {sesoi}.
A comparison whose control arm leaves no room for the predicted change is marked *ceiling* (control at or above
{ceiling:.2f} when a gain is at stake) or *floor* (control at or below {sesoi} when a drop is predicted),
whatever the test says: at a bound the data cannot tell "no effect" from "no room for one".
MDE: smallest per-task difference detectable with {power:.0%} power at alpha / (number of tests)."""


def render_markdown(report: dict[str, Any]) -> str:
    """The human-readable report."""
    inp, st = report["inputs"], report["settings"]
    lines = ["# scaleblind report", "",
             f"{inp['n_samples']} samples ({inp['n_scored']} scored) from {inp['n_logs']} log(s); "
             f"{len(inp['models'])} model(s), {len(inp['tasks'])} task(s), variants: {', '.join(inp['variants'])}; "
             f"task-set version(s): {', '.join(inp['taskset_versions'])}. Generated {report['generated']}.", "",
             "## Claims (all models pooled)", ""]
    pooled = [c for c in report["claims"] if c["scope"] == claims.ALL_MODELS]
    lines += md_table(["claim", "statement", "verdict", "note"],
                      [[c["claim"], c["statement"], f"**{c['verdict']}**", c.get("note") or ""] for c in pooled])
    scopes = list(dict.fromkeys(r["scope"] for r in report["comparisons"]))
    for scope in scopes:
        lines += ["", f"## Comparisons: {scope}", ""]
        lines += comparison_lines([r for r in report["comparisons"] if r["scope"] == scope])
    efficiency = report.get("efficiency") or []
    if efficiency:
        lines += ["", "## Efficiency score, paired within task", "", EFFICIENCY_NOTE]
        for scope in dict.fromkeys(r["scope"] for r in efficiency):
            lines += ["", f"### {scope}", "", *efficiency_lines([r for r in efficiency if r["scope"] == scope])]
    lines += ["", "## Rates per model and variant", "", *rate_lines(report["rates"])]
    lines += ["", "## Method", "", METHOD.format(n_boot=st["n_boot"], seed=st["seed"], min_tasks=st["min_tasks_for_ci"],
                                                alpha=st["alpha"], sesoi=st["sesoi"], power=st["power"],
                                                ceiling=1 - st["sesoi"])]
    lines += ["", "## Provenance", ""]
    lines += md_table(["log", "model", "run", "status", "task set", "image", "seed"],
                      [[Path(p["log_path"]).name, p["model"], p["run_id"], p["status"], fmt(p["taskset_version"]),
                        fmt(p["image_digest"]), fmt(p["seed"])] for p in inp["provenance"]])
    return "\n".join(lines) + "\n"


def write_report(report: dict[str, Any], out: Path) -> list[Path]:
    """Write report.md and report.json into `out`."""
    out.mkdir(parents=True, exist_ok=True)
    md, js = out / "report.md", out / "report.json"
    md.write_text(render_markdown(report), encoding="utf-8")
    js.write_text(json.dumps(report, indent=2, allow_nan=False) + "\n", encoding="utf-8")
    return [md, js]


def report_main(logs: list[Path], out: Path, allow_mixed: bool = False) -> int:
    """CLI entry: load logs, write the report, print one line per claim. Bad input raises ValueError."""
    report = build_report(load_results(logs, allow_mixed))
    paths = write_report(report, out)
    for c in report["claims"]:
        if c["scope"] == claims.ALL_MODELS:
            print(f"{c['claim']}: {c['verdict']}" + (f" ({c['note']})" if c.get("note") else ""))
    print("wrote " + ", ".join(map(str, paths)))
    return 0
