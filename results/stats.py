"""Statistics as pure functions: rates with cluster-bootstrap CIs, paired tests within task, Holm, power.

The unit of replication is the task: samples of one task (epochs, models) are correlated, so intervals resample
tasks and paired tests run on per-task rates. Every function returns NaN rather than a number the data cannot
support (too few tasks, no discordant pairs, no variation).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

N_BOOT = 10_000
SEED = 20240611
CI_LEVEL = 0.95
ALPHA = 0.05
POWER = 0.80
MIN_CLUSTERS_FOR_CI = 5      # percentile bootstraps over fewer tasks badly under-cover
WILCOXON_ARE = 3 / math.pi   # asymptotic efficiency of the signed-rank test vs the paired t-test (normal data)
PLANNING_SD = 0.5            # SD of per-task rate differences assumed when too few tasks to estimate it
METRICS = ("scale_correct", "correct_at_demo", "scale_blind")
NAN = float("nan")
EXACT_MAX_N = 16             # enumerate 2^n sign flips up to here (65,536 x 16)


@dataclass(frozen=True)
class PairedTest:
    """A paired comparison of two arms within task: effect, interval and tests, with the data behind them."""

    n_tasks: int
    n_pairs: int
    effect: float            # mean over tasks of (treatment rate - control rate)
    ci_low: float
    ci_high: float
    sd_diff: float
    wilcoxon_stat: float
    p_wilcoxon: float
    rank_biserial: float
    n01: int                 # pairs where control passed and treatment failed
    n10: int                 # pairs where treatment passed and control failed
    p_mcnemar: float
    odds_ratio: float


def cluster_counts(samples: pd.DataFrame, metric: str, cluster: str = "task") -> pd.DataFrame:
    """Per-cluster successes and trials of a 0/1 metric, missing values (not applicable) dropped."""
    valid = samples.dropna(subset=[metric])
    grouped = valid.groupby(cluster, sort=True)[metric]
    return pd.DataFrame({"successes": grouped.sum(), "n": grouped.count()})


def bootstrap_rate_ci(successes: np.ndarray, n: np.ndarray, n_boot: int = N_BOOT, seed: int = SEED,
                      level: float = CI_LEVEL) -> tuple[float, float]:
    """Percentile CI of a pooled rate, resampling clusters (tasks) with replacement; NaN when too few."""
    successes, n = np.asarray(successes, float), np.asarray(n, float)
    if len(n) < MIN_CLUSTERS_FOR_CI or n.sum() == 0:
        return NAN, NAN
    idx = np.random.default_rng(seed).integers(0, len(n), size=(n_boot, len(n)))
    totals = n[idx].sum(axis=1)
    rates = np.divide(successes[idx].sum(axis=1), totals, out=np.full(n_boot, np.nan), where=totals > 0)
    tail = (1 - level) / 2 * 100
    low, high = np.nanpercentile(rates, [tail, 100 - tail])
    return float(low), float(high)


def bootstrap_mean_ci(values: np.ndarray, n_boot: int = N_BOOT, seed: int = SEED,
                      level: float = CI_LEVEL) -> tuple[float, float]:
    """Percentile CI of a mean of per-task values (e.g. paired differences), resampling tasks."""
    values = np.asarray(values, float)
    if len(values) < MIN_CLUSTERS_FOR_CI:
        return NAN, NAN
    idx = np.random.default_rng(seed).integers(0, len(values), size=(n_boot, len(values)))
    tail = (1 - level) / 2 * 100
    low, high = np.percentile(values[idx].mean(axis=1), [tail, 100 - tail])
    return float(low), float(high)


def rate_summary(samples: pd.DataFrame, metric: str, n_boot: int = N_BOOT, seed: int = SEED) -> dict[str, float]:
    """Pooled rate of one metric with its cluster-bootstrap CI and the data behind it."""
    counts = cluster_counts(samples, metric)
    total = counts["n"].sum()
    low, high = bootstrap_rate_ci(counts["successes"].to_numpy(), counts["n"].to_numpy(), n_boot, seed)
    rate = counts["successes"].sum() / total if total else NAN
    return {"rate": float(rate), "ci_low": low, "ci_high": high, "n_samples": int(total), "n_tasks": len(counts)}


def rate_table(samples: pd.DataFrame, by: list[str], metrics: tuple[str, ...] = METRICS,
               n_boot: int = N_BOOT, seed: int = SEED) -> pd.DataFrame:
    """Long table: one row per group x metric (e.g. model x variant x scale_correct) with CI."""
    rows = []
    for key, group in samples.groupby(by, sort=True, dropna=False):
        key = key if isinstance(key, tuple) else (key,)
        for metric in metrics:
            rows.append({**dict(zip(by, key)), "metric": metric, **rate_summary(group, metric, n_boot, seed)})
    return pd.DataFrame(rows, columns=[*by, "metric", "rate", "ci_low", "ci_high", "n_samples", "n_tasks"])


def per_task_rates(samples: pd.DataFrame, metric: str, unit: list[str]) -> pd.Series:
    """Rate per `unit` (e.g. model x task), then averaged over models per task so each task weighs once."""
    by_unit = samples.dropna(subset=[metric]).groupby(unit)[metric].mean()
    return by_unit.groupby(level="task").mean() if "task" in unit and len(unit) > 1 else by_unit


def paired_task_diffs(treatment: pd.DataFrame, control: pd.DataFrame, metric: str) -> pd.Series:
    """Per-task difference of rates (treatment - control), pairing within model and task."""
    unit = ["model", "task"]
    t = treatment.dropna(subset=[metric]).groupby(unit)[metric].mean()
    c = control.dropna(subset=[metric]).groupby(unit)[metric].mean()
    both = pd.concat({"t": t, "c": c}, axis=1).dropna()
    return (both["t"] - both["c"]).groupby(level="task").mean()


def matched_pairs(treatment: pd.DataFrame, control: pd.DataFrame, metric: str) -> tuple[int, int, int]:
    """Discordant counts for McNemar, pairing samples by (model, task, epoch); returns (n_pairs, n01, n10)."""
    key = ["model", "task", "epoch"]
    t = treatment.dropna(subset=[metric]).groupby(key)[metric].first()
    c = control.dropna(subset=[metric]).groupby(key)[metric].first()
    both = pd.concat({"t": t, "c": c}, axis=1).dropna()
    n01 = int(((both["c"] == 1) & (both["t"] == 0)).sum())
    n10 = int(((both["c"] == 0) & (both["t"] == 1)).sum())
    return len(both), n01, n10


def wilcoxon_signed_rank(diffs: np.ndarray) -> tuple[float, float]:
    """Two-sided Wilcoxon signed-rank (zero differences dropped): (min(R+, R-), p); NaN when all are zero.

    Per-task rates tie a lot, and for small n with ties scipy falls back to a slow generic permutation test;
    up to EXACT_MAX_N differences the exact sign-flip distribution is enumerated here instead (same p-value).
    """
    diffs = np.asarray(diffs, float)
    diffs = diffs[diffs != 0]
    if len(diffs) == 0:
        return NAN, NAN
    if len(diffs) > EXACT_MAX_N:
        result = stats.wilcoxon(diffs, zero_method="wilcox", alternative="two-sided")
        return float(result.statistic), float(result.pvalue)
    ranks = stats.rankdata(np.abs(diffs))
    r_plus = ranks[diffs > 0].sum()
    signs = (np.arange(2 ** len(diffs))[:, None] >> np.arange(len(diffs))) & 1
    null = signs @ ranks
    centre = ranks.sum() / 2
    extreme = np.abs(null - centre) >= abs(r_plus - centre) - 1e-9
    return float(min(r_plus, ranks.sum() - r_plus)), float(extreme.mean())


def rank_biserial(diffs: np.ndarray) -> float:
    """Matched-pairs rank-biserial correlation (Kerby 2014): (R+ - R-) / (R+ + R-), zeros dropped."""
    diffs = np.asarray(diffs, float)
    diffs = diffs[diffs != 0]
    if len(diffs) == 0:
        return NAN
    ranks = stats.rankdata(np.abs(diffs))
    return float((ranks[diffs > 0].sum() - ranks[diffs < 0].sum()) / ranks.sum())


def mcnemar_exact(n01: int, n10: int) -> float:
    """Exact (conditional) McNemar: two-sided binomial test of the discordant pairs; NaN without any."""
    if n01 + n10 == 0:
        return NAN
    return float(stats.binomtest(n10, n01 + n10, 0.5).pvalue)


def conditional_odds_ratio(n01: int, n10: int) -> float:
    """Matched-pairs odds ratio n10/n01; NaN when a cell is empty (the estimate would be 0 or infinite)."""
    return n10 / n01 if n01 and n10 else NAN


def holm(pvalues: list[float]) -> list[float]:
    """Holm step-down adjusted p-values; NaN entries (tests not run) are skipped and stay NaN."""
    p = np.asarray(pvalues, float)
    out = np.full(len(p), np.nan)
    idx = np.flatnonzero(~np.isnan(p))
    m = len(idx)
    order = idx[np.argsort(p[idx], kind="stable")]
    running = 0.0
    for rank, i in enumerate(order):
        running = max(running, min(1.0, (m - rank) * p[i]))
        out[i] = running
    return out.tolist()


def _z_sum(alpha: float, power: float) -> float:
    """z_{1-alpha/2} + z_{power}: the distance the effect must cover in standard errors."""
    return float(stats.norm.ppf(1 - alpha / 2) + stats.norm.ppf(power))


def minimum_detectable_effect(n_tasks: int, sd_diff: float, alpha: float = ALPHA, power: float = POWER) -> float:
    """Smallest mean per-task difference a signed-rank test on `n_tasks` detects with `power` (normal approx.)."""
    if n_tasks < 2 or not sd_diff > 0:
        return NAN
    return _z_sum(alpha, power) * sd_diff / math.sqrt(n_tasks * WILCOXON_ARE)


def tasks_needed(effect: float, sd_diff: float, alpha: float = ALPHA, power: float = POWER) -> float:
    """Tasks needed to detect a mean per-task difference `effect` (paired, signed-rank efficiency)."""
    if not abs(effect) > 0 or not sd_diff > 0:
        return NAN
    return float(math.ceil((_z_sum(alpha, power) * sd_diff / abs(effect)) ** 2 / WILCOXON_ARE))


def min_wilcoxon_p(n_nonzero: int) -> float:
    """Smallest two-sided p the exact signed-rank test can reach with n non-zero differences: 2 / 2^n."""
    return min(1.0, 2.0 / 2 ** n_nonzero) if n_nonzero > 0 else NAN


def paired_test(treatment: pd.DataFrame, control: pd.DataFrame, metric: str,
                n_boot: int = N_BOOT, seed: int = SEED) -> PairedTest:
    """Everything about one paired comparison: per-task effect with CI, Wilcoxon, rank-biserial, McNemar."""
    diffs = paired_task_diffs(treatment, control, metric).to_numpy()
    stat, p_w = wilcoxon_signed_rank(diffs)
    low, high = bootstrap_mean_ci(diffs, n_boot, seed)
    n_pairs, n01, n10 = matched_pairs(treatment, control, metric)
    return PairedTest(
        n_tasks=len(diffs), n_pairs=n_pairs, effect=float(diffs.mean()) if len(diffs) else NAN,
        ci_low=low, ci_high=high, sd_diff=float(diffs.std(ddof=1)) if len(diffs) > 1 else NAN,
        wilcoxon_stat=stat, p_wilcoxon=p_w, rank_biserial=rank_biserial(diffs),
        n01=n01, n10=n10, p_mcnemar=mcnemar_exact(n01, n10), odds_ratio=conditional_odds_ratio(n01, n10))


def one_sample_test(samples: pd.DataFrame, metric: str, threshold: float,
                    n_boot: int = N_BOOT, seed: int = SEED) -> PairedTest:
    """A rate against a fixed threshold: per-task (rate - threshold) tested like a paired difference."""
    diffs = (per_task_rates(samples, metric, ["model", "task"]) - threshold).to_numpy()
    stat, p_w = wilcoxon_signed_rank(diffs)
    low, high = bootstrap_mean_ci(diffs, n_boot, seed)
    return PairedTest(
        n_tasks=len(diffs), n_pairs=int(samples[metric].notna().sum()), effect=float(diffs.mean()) if len(diffs)
        else NAN, ci_low=low, ci_high=high, sd_diff=float(diffs.std(ddof=1)) if len(diffs) > 1 else NAN,
        wilcoxon_stat=stat, p_wilcoxon=p_w, rank_biserial=rank_biserial(diffs),
        n01=0, n10=0, p_mcnemar=NAN, odds_ratio=NAN)
