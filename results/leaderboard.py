"""`scaleblind leaderboard`: models ranked by blueprint scale-correct rate, as Markdown, CSV, JSON and one
self-contained `index.html` (see `page.py`), tokens and cost per model, plus the HF dataset export.
"""

from __future__ import annotations

import base64
import io
import json
import math
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402  (backend first: no display on CI)
import pandas as pd  # noqa: E402

from scaleblind.results import claims, stats  # noqa: E402
from scaleblind.results.hf_export import export_dataset  # noqa: E402
from scaleblind.results.load import Results, load_results  # noqa: E402
from scaleblind.results.page import ALL_SPLITS, render_page  # noqa: E402
from scaleblind.results.report import fmt, fmt_ci, fmt_p, jsonable, md_table, records  # noqa: E402

RANK_ARM, BASE_ARM = claims.Arm("blueprint"), claims.Arm("vague")
SVG_SALT = "scaleblind"   # fixed ids in matplotlib's SVG: same data, same bytes
FIGSIZE = (6.4, 3.6)
MARKERS = "os^vD<>ph*"   # lines of equal cost overlap; markers keep them apart
COLUMNS = ["rank", "model", "blueprint", "vague", "lift", "lift_p", "vague_blindness", "tasks", "samples"]


def arm_summary(samples: pd.DataFrame, arm: claims.Arm, metric: str, n_boot: int, seed: int) -> dict[str, float]:
    """Rate and CI of one arm's metric."""
    return stats.rate_summary(claims.select_arm(samples, arm), metric, n_boot, seed)


def model_row(model: str, samples: pd.DataFrame, families: list[str], n_boot: int, seed: int) -> dict[str, Any]:
    """One leaderboard row: blueprint and vague rates, paired lift, vague blindness and per-family rates."""
    blue = arm_summary(samples, RANK_ARM, "scale_correct", n_boot, seed)
    vague = arm_summary(samples, BASE_ARM, "scale_correct", n_boot, seed)
    blind = arm_summary(samples, BASE_ARM, "scale_blind", n_boot, seed)
    treat, ctrl = claims.select_arm(samples, RANK_ARM), claims.select_arm(samples, BASE_ARM)
    lift = stats.paired_test(treat, ctrl, "scale_correct", n_boot, seed) if len(treat) and len(ctrl) else None
    row = {"model": model, "model_label": samples["model_label"].iloc[0], "blueprint": blue["rate"], "blueprint_ci_low": blue["ci_low"],
           "blueprint_ci_high": blue["ci_high"], "vague": vague["rate"], "vague_ci_low": vague["ci_low"],
           "vague_ci_high": vague["ci_high"], "lift": lift.effect if lift else math.nan,
           "lift_ci_low": lift.ci_low if lift else math.nan, "lift_ci_high": lift.ci_high if lift else math.nan,
           "lift_p": lift.p_wilcoxon if lift else math.nan, "vague_blindness": blind["rate"],
           "efficiency_blueprint": mean_or_nan(treat["efficiency"]), "efficiency_vague": mean_or_nan(ctrl["efficiency"]),
           "tasks": blue["n_tasks"], "samples": len(samples)}
    for family in families:
        fam = treat[treat["family"] == family]["scale_correct"].dropna()
        row[f"family_{family}"] = float(fam.mean()) if len(fam) else math.nan
    return row


def mean_or_nan(values: pd.Series) -> float:
    """Mean of the defined values; NaN when there are none (e.g. no efficiency score in these logs)."""
    defined = values.dropna()
    return float(defined.mean()) if len(defined) else math.nan


def usage_table(samples: pd.DataFrame) -> pd.DataFrame:
    """Tokens and cost per model, from inspect's model usage. Cost only where inspect knew the model's price:
    `priced` says for how many samples; cost per scale-correct answer is what a working answer costs."""
    rows = []
    for model, group in samples.groupby("model", sort=True):
        priced = group["cost_usd"].dropna()
        cost = float(priced.sum()) if len(priced) else math.nan
        correct = group["scale_correct"].sum()
        rows.append({"model": model, "model_label": group["model_label"].iloc[0], "samples": len(group),
                     "input_tokens": group["input_tokens"].sum(min_count=1),
                     "output_tokens": group["output_tokens"].sum(min_count=1),
                     "tokens_per_sample": mean_or_nan(group["total_tokens"].astype(float)),
                     "priced": len(priced), "cost_usd": cost,
                     "cost_per_sample": cost / len(priced) if len(priced) else math.nan,
                     "cost_per_scale_correct": cost / correct if len(priced) and correct else math.nan,
                     "seconds_per_sample": mean_or_nan(group["seconds"].astype(float))})
    return pd.DataFrame(rows)


def tied_ranks(rate: pd.Series, low: pd.Series, high: pd.Series) -> pd.Series:
    """Rank = 1 + number of models clearly better (their CI lies wholly above this one's).

    Overlapping intervals therefore share a rank; without an interval (thin data) nothing is clearly better.
    """
    ranks = []
    for i in rate.index:
        if math.isnan(rate[i]):
            ranks.append(math.nan)
            continue
        better = ((low > high[i]) & low.notna() & pd.notna(high[i])).sum()
        ranks.append(1 + int(better))
    return pd.Series(ranks, index=rate.index, dtype=float)


def leaderboard_table(samples: pd.DataFrame, n_boot: int = stats.N_BOOT, seed: int = stats.SEED) -> pd.DataFrame:
    """One row per model, ranked by blueprint scale-correct rate with ties for overlapping CIs."""
    families = sorted(samples["family"].dropna().unique())
    rows = [model_row(m, g, families, n_boot, seed) for m, g in samples.groupby("model", sort=True)]
    board = pd.DataFrame(rows)
    board["rank"] = tied_ranks(board["blueprint"], board["blueprint_ci_low"], board["blueprint_ci_high"])
    counts = board["rank"].value_counts()
    board["rank_label"] = [("–" if math.isnan(r) else ("=" if counts[r] > 1 else "") + str(int(r)))
                           for r in board["rank"]]
    order = board.sort_values(["rank", "blueprint", "model"], ascending=[True, False, True], na_position="last")
    return order.reset_index(drop=True)


def svg_data_uri(fig: plt.Figure) -> str:
    """A figure as an SVG data URI, so the page embeds it with no external file and no network."""
    buf = io.BytesIO()
    with plt.rc_context({"svg.hashsalt": SVG_SALT}):
        fig.savefig(buf, format="svg", bbox_inches="tight", metadata={"Date": None})
    plt.close(fig)
    return "data:image/svg+xml;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


def forest_plot(board: pd.DataFrame) -> plt.Figure:
    """Lift per model with its CI; models without a paired lift are listed but not drawn."""
    data = board.iloc[::-1]
    fig, ax = plt.subplots(figsize=(FIGSIZE[0], max(2.0, 0.45 * len(data) + 1.2)))
    y = range(len(data))
    lift = data["lift"].to_numpy(float)
    err_lo = (data["lift"] - data["lift_ci_low"]).fillna(0).to_numpy(float)
    err_hi = (data["lift_ci_high"] - data["lift"]).fillna(0).to_numpy(float)
    ax.errorbar(lift, list(y), xerr=[err_lo, err_hi], fmt="o", color="#0b5cad", ecolor="#6b9bd1", capsize=3)
    ax.axvline(0, color="#999", linewidth=1, linestyle="--")
    ax.set_yticks(list(y), data["model_label"].tolist())
    ax.set_xlim(-1.05, 1.05)
    ax.set_xlabel("lift in scale-correct rate (blueprint - vague)")
    ax.set_title("Vague -> blueprint lift (95% CI over tasks)")
    fig.tight_layout()
    return fig


def cost_curves(tiers: pd.DataFrame) -> plt.Figure:
    """Median p95 latency per tier for each variant (all models); tiers ordered by their median size."""
    fig, ax = plt.subplots(figsize=FIGSIZE)
    data = tiers.dropna(subset=["p95_latency_ms"])
    if data.empty:
        ax.text(0.5, 0.5, "no per-tier latency in these logs", ha="center", va="center", transform=ax.transAxes)
        ax.set_axis_off()
        return fig
    order = data.groupby("tier")["size"].median().sort_values().index.tolist()
    label = data["variant"].where(data["temperature"].isna(), data["variant"] + "@t=" + data["temperature"].astype(str))
    table = data.assign(label=label).groupby(["label", "tier"])["p95_latency_ms"].median().unstack("tier")
    colors = plt.get_cmap("tab20").colors
    for i, (name, row) in enumerate(table.reindex(columns=order).iterrows()):
        ax.plot(order, row.to_numpy(float), marker=MARKERS[i % len(MARKERS)], color=colors[i % len(colors)],
                label=name, alpha=0.85)
    ax.set_yscale("log")
    ax.set_xlabel("tier (increasing data size)")
    ax.set_ylabel("median p95 latency (ms)")
    ax.set_title("Cost versus tier per variant")
    ax.legend(fontsize=7, ncol=2, frameon=False)
    fig.tight_layout()
    return fig


def family_columns(board: pd.DataFrame) -> list[str]:
    return [c for c in board.columns if c.startswith("family_")]


def board_lines(board: pd.DataFrame) -> list[str]:
    """One leaderboard as a GitHub Markdown table (efficiency columns only when the logs score it)."""
    fams = family_columns(board)
    efficiency = [c for c in ("efficiency_blueprint", "efficiency_vague") if board[c].notna().any()]
    header = ["rank", "model", "blueprint [95% CI]", "vague [95% CI]", "lift [95% CI]", "p (lift)",
              "vague blindness", *[c.replace("_", " ") for c in efficiency],
              *[f.removeprefix("family_") for f in fams], "tasks"]
    rows = [[r["rank_label"], r["model_label"], fmt_ci(*none3(r, "blueprint")), fmt_ci(*none3(r, "vague")),
             fmt_ci(*none3(r, "lift")), fmt_p(none(r["lift_p"])), fmt(r["vague_blindness"]),
             *[fmt(r[c]) for c in efficiency], *[fmt(r[f]) for f in fams], fmt(r["tasks"], 0)]
            for r in board.to_dict("records")]
    return md_table(header, rows)


def markdown(boards: dict[str, pd.DataFrame], usage: pd.DataFrame, summary: str) -> str:
    """The leaderboard (and one per split when there are several) and the tokens-and-cost table."""
    cost = [[r["model_label"], fmt(r["samples"], 0), fmt(none(r["input_tokens"]), 0),
             fmt(none(r["output_tokens"]), 0), fmt(none(r["tokens_per_sample"]), 0), usd(r["cost_usd"]),
             usd(r["cost_per_sample"]), usd(r["cost_per_scale_correct"])] for r in usage.to_dict("records")]
    splits = [line for name, board in boards.items() if name != ALL_SPLITS
              for line in ["", f"## Split: {name}", "", *board_lines(board)]]
    return "\n".join(["# scaleblind leaderboard", "", summary, "", *board_lines(boards[ALL_SPLITS]), "",
                      "Ranks: a model is ranked below another only when their 95% CIs do not overlap (=k: tied).",
                      *splits, "", "## Tokens and cost", "",
                      *md_table(["model", "samples", "input tokens", "output tokens", "tokens / sample", "cost",
                                 "cost / sample", "cost / scale-correct answer"], cost), "",
                      "Cost is shown where inspect knows the model's price (– where it does not).", ""])


def usd(value: Any) -> str:
    """$0.0123; an en dash when the price is unknown."""
    return "–" if none(value) is None else f"${value:,.4f}"


def none(x: Any) -> Any:
    return None if isinstance(x, float) and math.isnan(x) else x


def none3(row: dict[str, Any], name: str) -> tuple[Any, Any, Any]:
    """(rate, low, high) with NaN as None, for fmt_ci."""
    return none(row[name]), none(row[f"{name}_ci_low"]), none(row[f"{name}_ci_high"])


def summary_line(res: Results) -> str:
    s = res.samples
    return (f"{len(s)} samples, {s['model'].nunique()} model(s), {s['task'].nunique()} task(s), "
            f"task-set version(s) {', '.join(sorted(s['taskset_version'].fillna('unknown').astype(str).unique()))}")


def split_boards(samples: pd.DataFrame, n_boot: int, seed: int) -> dict[str, pd.DataFrame]:
    """The leaderboard over all samples and, when the logs hold several splits, over each split alone."""
    boards = {ALL_SPLITS: leaderboard_table(samples, n_boot, seed)}
    splits = sorted(samples["split"].dropna().unique())
    if len(splits) > 1:
        boards |= {split: leaderboard_table(samples[samples["split"] == split], n_boot, seed) for split in splits}
    return boards


def write_leaderboard(res: Results, out: Path, n_boot: int = stats.N_BOOT, seed: int = stats.SEED) -> list[Path]:
    """Write leaderboard.md/.csv/.json, index.html and hf_dataset/ into `out`."""
    out.mkdir(parents=True, exist_ok=True)
    boards = split_boards(res.samples, n_boot, seed)
    board, usage = boards[ALL_SPLITS], usage_table(res.samples)
    generated = datetime.now(timezone.utc).isoformat(timespec="seconds")
    paths = {name: out / name for name in ("leaderboard.md", "leaderboard.csv", "leaderboard.json", "index.html")}
    paths["leaderboard.md"].write_text(markdown(boards, usage, summary_line(res)), encoding="utf-8")
    board.to_csv(paths["leaderboard.csv"], index=False)
    payload = {"generated": generated, "ranked_by": "blueprint scale-correct rate", "n_boot": n_boot, "seed": seed,
               "leaderboard": records(board), "by_split": {k: records(v) for k, v in boards.items() if k != ALL_SPLITS},
               "usage": records(usage), "provenance": records(res.provenance)}
    paths["leaderboard.json"].write_text(json.dumps(jsonable(payload), indent=2, allow_nan=False) + "\n",
                                         encoding="utf-8")
    plots = {"forest": svg_data_uri(forest_plot(board)), "costs": svg_data_uri(cost_curves(res.tiers))}
    paths["index.html"].write_text(render_page(res, boards, usage, plots, summary_line(res), generated),
                                   encoding="utf-8")
    return [*paths.values(), export_dataset(res, out / "hf_dataset")]


def leaderboard_main(logs: list[Path], out: Path, allow_mixed: bool = False) -> int:
    """CLI entry: load logs and write every leaderboard file. Bad input raises ValueError."""
    paths = write_leaderboard(load_results(logs, allow_mixed), out)
    print("wrote " + ", ".join(map(str, paths)))
    return 0
