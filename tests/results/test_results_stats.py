"""Statistics checked against published examples and hand computations, never against the code itself."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from scaleblind.results import stats

# Darwin's Zea mays data as used in scipy.stats.wilcoxon's documentation (Fisher, Design of Experiments):
# documented result WilcoxonResult(statistic=24.0, pvalue=0.041259765625).
DARWIN = [6, 8, 14, 16, 23, 24, 28, 29, 41, -48, 49, 56, 60, -67, 75]


def test_wilcoxon_matches_scipy_documentation_example():
    stat, p = stats.wilcoxon_signed_rank(np.array(DARWIN, float))
    assert stat == 24.0
    assert p == pytest.approx(0.041259765625, abs=1e-12)


def test_rank_biserial_by_hand_on_darwin_data():
    # |d| ranks 1..15; the negatives -48 and -67 hold ranks 10 and 14: R- = 24, R+ = 120 - 24 = 96.
    assert stats.rank_biserial(np.array(DARWIN, float)) == pytest.approx((96 - 24) / 120)


def test_wilcoxon_returns_nan_when_no_difference():
    stat, p = stats.wilcoxon_signed_rank(np.zeros(8))
    assert math.isnan(stat) and math.isnan(p)
    assert math.isnan(stats.rank_biserial(np.zeros(8)))


def test_mcnemar_exact_matches_fagerland_2013_table():
    # Fagerland, Lydersen & Laake (2013), BMC Med Res Methodol 13:91, airway hyper-responsiveness example:
    # discordant pairs 1 and 7; exact conditional McNemar p = 0.070. By hand: 2 * (C(8,0) + C(8,1)) / 2^8.
    assert stats.mcnemar_exact(n01=7, n10=1) == pytest.approx(0.0703125, abs=1e-12)
    assert stats.mcnemar_exact(n01=1, n10=7) == pytest.approx(2 * 9 / 256, abs=1e-12)


def test_mcnemar_exact_agrees_with_hand_binomial_sum_on_agresti_table():
    # Agresti, Categorical Data Analysis, presidential approval (794, 150, 86, 570): discordant 150 vs 86;
    # the textbook reports McNemar z^2 = 17.36, p < 0.0001. Exact two-sided p summed by hand:
    n, k = 236, 86
    exact = 2 * sum(math.comb(n, i) for i in range(k + 1)) / 2 ** n
    assert stats.mcnemar_exact(n01=150, n10=86) == pytest.approx(exact, rel=1e-9)
    assert exact < 1e-4


def test_mcnemar_and_odds_ratio_are_nan_without_discordant_pairs():
    assert math.isnan(stats.mcnemar_exact(0, 0))
    assert math.isnan(stats.conditional_odds_ratio(0, 5))
    assert stats.conditional_odds_ratio(n01=4, n10=12) == 3.0


def test_holm_by_hand():
    # sorted: 0.005*4 = 0.02, 0.01*3 = 0.03, 0.03*2 = 0.06, 0.04*1 = 0.04 -> running max 0.06
    assert stats.holm([0.01, 0.04, 0.03, 0.005]) == pytest.approx([0.03, 0.06, 0.06, 0.02])


def test_holm_skips_tests_not_run_and_caps_at_one():
    out = stats.holm([0.5, float("nan"), 0.4])
    assert out[0] == pytest.approx(0.8) and out[2] == pytest.approx(0.8) and math.isnan(out[1])
    assert stats.holm([0.9, 0.8]) == [1.0, 1.0]   # 0.8 * 2 capped at 1; then max(1, 0.9)


def test_tasks_needed_matches_the_textbook_constant():
    # n = (z_.975 + z_.80)^2 (sd/delta)^2 = 7.849 when sd = delta; signed-rank efficiency 3/pi -> 8.22 -> 9.
    assert (1.959964 + 0.841621) ** 2 == pytest.approx(7.849, abs=1e-3)
    assert stats.tasks_needed(0.2, 0.2) == 9
    assert stats.tasks_needed(0.1, 0.2) == math.ceil(4 * 7.848879 / (3 / math.pi))


def test_minimum_detectable_effect_by_hand_and_nan_when_thin():
    assert stats.minimum_detectable_effect(9, 1.0) == pytest.approx(2.801585 / math.sqrt(9 * 3 / math.pi), 1e-5)
    assert math.isnan(stats.minimum_detectable_effect(1, 0.3))
    assert math.isnan(stats.minimum_detectable_effect(10, 0.0))


def test_min_wilcoxon_p():
    assert stats.min_wilcoxon_p(5) == 0.0625
    assert stats.min_wilcoxon_p(6) == 0.03125


def test_bootstrap_ci_width_matches_plugin_standard_error():
    # Equal cluster sizes: the bootstrap SD of the pooled rate is the plug-in SE sqrt((T-1)/T) * s / sqrt(T).
    rng = np.random.default_rng(0)
    rates = rng.uniform(0.2, 0.8, size=40)
    n = np.full(40, 10.0)
    low, high = stats.bootstrap_rate_ci(rates * n, n, n_boot=20_000, seed=1)
    se = math.sqrt(39 / 40) * rates.std(ddof=1) / math.sqrt(40)
    assert low == pytest.approx(rates.mean() - 1.96 * se, abs=0.01)
    assert high == pytest.approx(rates.mean() + 1.96 * se, abs=0.01)


def test_bootstrap_is_seeded_and_nan_when_too_few_tasks():
    s, n = np.array([1, 2, 3, 4, 5, 6.0]), np.full(6, 8.0)
    assert stats.bootstrap_rate_ci(s, n, seed=3) == stats.bootstrap_rate_ci(s, n, seed=3)
    assert all(math.isnan(x) for x in stats.bootstrap_rate_ci(s[:4], n[:4]))
    assert all(math.isnan(x) for x in stats.bootstrap_mean_ci(np.ones(3)))


def frame(rows: list[tuple]) -> pd.DataFrame:
    """(model, task, epoch, variant, scale_correct) rows with blindness derived as the loader does."""
    df = pd.DataFrame(rows, columns=["model", "task", "epoch", "variant", "scale_correct"])
    df["correct_at_demo"] = 1.0
    df["scale_blind"] = 1 - df["scale_correct"]
    return df


def test_rate_summary_pools_samples_and_skips_missing_blindness():
    df = frame([("m", f"t{i}", e, "v", float(e <= i % 3)) for i in range(6) for e in (1, 2, 3)])
    df.loc[df["epoch"] == 3, "scale_blind"] = np.nan   # not demo-correct: not applicable
    got = stats.rate_summary(df, "scale_correct", n_boot=500)
    # per task successes: i%3 = 0,1,2,0,1,2 -> 6 of 18
    assert got["rate"] == pytest.approx(6 / 18) and got["n_tasks"] == 6 and got["n_samples"] == 18
    blind = stats.rate_summary(df, "scale_blind", n_boot=500)
    # epochs 1-2 only: failures where epoch > i%3 -> tasks 0..5 give 2,1,0,2,1,0 of 2 -> 6 of 12
    assert blind["rate"] == pytest.approx(6 / 12) and blind["n_samples"] == 12


def test_paired_test_by_hand():
    # 5 tasks x 2 epochs; treatment passes both epochs everywhere, control passes epoch 1 on tasks 0-2.
    rows = [("m", f"t{i}", e, "b", 1.0) for i in range(5) for e in (1, 2)]
    rows += [("m", f"t{i}", e, "v", float(e == 1 and i < 3)) for i in range(5) for e in (1, 2)]
    df = frame(rows)
    test = stats.paired_test(df[df.variant == "b"], df[df.variant == "v"], "scale_correct", n_boot=500)
    # per-task differences 0.5, 0.5, 0.5, 1, 1 -> mean 0.7; all positive -> exact p = 2 / 2^5 with ties
    assert test.effect == pytest.approx(0.7) and test.n_tasks == 5 and test.n_pairs == 10
    assert (test.n01, test.n10) == (0, 7)
    assert test.p_mcnemar == pytest.approx(2 / 2 ** 7)
    assert test.rank_biserial == 1.0
    assert 0.5 <= test.ci_low <= test.ci_high <= 1.0
    assert test.p_wilcoxon < 0.1


def test_paired_diffs_average_models_within_task():
    rows = [("a", "t0", 1, "b", 1.0), ("a", "t0", 1, "v", 0.0), ("z", "t0", 1, "b", 1.0), ("z", "t0", 1, "v", 1.0)]
    df = frame(rows)
    diffs = stats.paired_task_diffs(df[df.variant == "b"], df[df.variant == "v"], "scale_correct")
    assert diffs.to_dict() == {"t0": 0.5}


def test_exact_signed_rank_with_ties_matches_scipys_permutation_test():
    # scipy falls back to an exact permutation test for small n with ties; our enumeration must agree.
    from scipy.stats import wilcoxon
    diffs = np.array([0.25, 0.5, 0.5, -0.25, 0.75, 0.25, 0.0, 0.5])
    ref = wilcoxon(diffs, zero_method="wilcox")
    assert stats.wilcoxon_signed_rank(diffs) == pytest.approx((ref.statistic, ref.pvalue), abs=1e-12)
