"""Claims H1-H6: declared comparisons reach the verdicts the data were built to give."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from scaleblind.results import claims
from scaleblind.results.claims import COMPARISONS, SESOI, decide

N_TASKS = 12   # enough for the exact signed-rank test to pass Holm over 11 comparisons (2/2^12 << 0.05/11)


def samples(arms: dict[tuple[str, float | None], list[int]], epochs: int = 4, model: str = "m") -> pd.DataFrame:
    """Rows like the loader's: arms map (variant, temperature) -> scale-correct count per task (all demo-correct)."""
    rows = []
    for (variant, temp), counts in arms.items():
        for i, k in enumerate(counts):
            for e in range(1, epochs + 1):
                rows.append({"model": model, "task": f"fam/t{i:02d}", "epoch": e, "variant": variant,
                             "temperature": math.nan if temp is None else temp, "scale_correct": float(e <= k),
                             "correct_at_demo": 1.0, "scale_blind": float(e > k)})
    return pd.DataFrame(rows)


def by_id(frame: pd.DataFrame, scope: str = claims.ALL_MODELS) -> dict[str, dict]:
    return {r["id"]: r for r in frame[frame.scope == scope].to_dict("records")}


def test_clear_blueprint_gain_supports_h1_h2_and_no_temperature_gain_supports_h3():
    vague = [i % 2 for i in range(N_TASKS)]
    data = samples({("vague", None): vague, ("vague", 1.0): vague, ("blueprint", None): [4] * N_TASKS})
    rows = by_id(claims.evaluate_claims(data, n_boot=2000))
    h1 = rows["H1"]
    assert h1["n_tasks"] == N_TASKS and h1["n_pairs"] == N_TASKS * 4
    assert h1["effect"] == pytest.approx(1 - 0.5 / 4)                    # per task 1 - (i%2)/4, mean 0.875
    assert h1["verdict"] == "supported" and h1["p_holm"] < 0.05
    assert rows["H2"]["verdict"] == "supported"                           # blindness 0.875 > 0.25
    assert rows["H2"]["treatment_rate"] == pytest.approx(0.875)
    assert rows["H3"]["effect"] == 0 and rows["H3"]["verdict"] == "supported"   # CI [0, 0] < SESOI
    for comp in ("H4a", "H4b", "H4c", "H4d", "H4e", "H5", "H6a", "H6b"):
        assert rows[comp]["verdict"] == "not run"
        assert rows[comp]["next_step"].startswith("run variants")
    table = claims.claim_table(claims.evaluate_claims(data, n_boot=500))
    verdicts = dict(zip(table[table.scope == claims.ALL_MODELS].claim, table[table.scope == claims.ALL_MODELS].verdict))
    assert verdicts == {"H1": "supported", "H2": "supported", "H3": "supported", "H4": "not run",
                        "H5": "not run", "H6": "not run"}


def test_no_difference_refutes_h1_and_h5():
    same = [2] * N_TASKS
    data = samples({("vague", None): same, ("blueprint", None): same, ("blueprint_analysis_after", None): same})
    rows = by_id(claims.evaluate_claims(data, n_boot=500))
    assert rows["H1"]["effect"] == 0 and math.isnan(rows["H1"]["p_wilcoxon"])
    assert rows["H1"]["verdict"] == "refuted" and rows["H5"]["verdict"] == "refuted"


def test_blueprint_worse_than_vague_refutes_h1():
    """vague at 100% is a ceiling for a gain, but a significant harm is visible from any starting point."""
    data = samples({("vague", None): [4] * N_TASKS, ("blueprint", None): [1] * N_TASKS})
    assert by_id(claims.evaluate_claims(data, n_boot=500))["H1"]["verdict"] == "refuted"


def test_thin_data_is_inconclusive_and_says_what_would_settle_it():
    data = samples({("vague", None): [0, 1, 0], ("blueprint", None): [4, 4, 3]})
    h1 = by_id(claims.evaluate_claims(data, n_boot=500))["H1"]
    assert h1["verdict"] == "inconclusive" and math.isnan(h1["ci_low"])
    assert "at least 5 tasks (have 3)" in h1["next_step"]


def test_six_tasks_cannot_pass_holm_and_the_next_step_says_how_many():
    data = samples({("vague", None): [0] * 6, ("blueprint", None): [4] * 6, ("blueprint_no_role", None): [0] * 6})
    rows = by_id(claims.evaluate_claims(data, n_boot=500))
    # every difference positive: exact p = 2/2^6 = 0.03125; Holm over 3 equal p (H1, H2, H4a) -> 3 x 0.03125
    assert rows["H1"]["p_wilcoxon"] == pytest.approx(0.03125) and rows["H1"]["p_holm"] == pytest.approx(0.09375)
    assert rows["H1"]["verdict"] == "inconclusive"
    assert rows["H1"]["next_step"].startswith("about 7 tasks")           # 2/2^7 < 0.05/3 < 2/2^6


def test_per_model_scopes_are_reported():
    data = pd.concat([samples({("vague", None): [0] * 6, ("blueprint", None): [4] * 6}, model=m) for m in "ab"])
    frame = claims.evaluate_claims(data, n_boot=200)
    assert set(frame.scope) == {claims.ALL_MODELS, "a", "b"}
    assert by_id(frame, "a")["H1"]["n_pairs"] == 24 and by_id(frame)["H1"]["n_pairs"] == 48


def test_hottest_temperature_arm_needs_a_tagged_run():
    data = samples({("vague", None): [1] * 6})
    assert claims.select_arm(data, claims.Arm("vague", "hottest")).empty
    assert by_id(claims.evaluate_claims(data, n_boot=200))["H3"]["verdict"] == "not run"


@pytest.mark.parametrize("kind,effect,ci_low,ci_high,p,expected", [
    ("superiority", 0.3, 0.1, 0.5, 0.01, "supported"),
    ("superiority", -0.3, -0.5, -0.1, 0.01, "refuted"),
    ("superiority", 0.02, -0.05, SESOI - 0.01, 0.5, "refuted"),      # CI rules out a gain worth having
    ("superiority", 0.2, -0.1, 0.4, 0.2, "inconclusive"),
    ("inferiority", -0.3, -0.5, -0.1, 0.01, "supported"),
    ("inferiority", 0.3, 0.1, 0.5, 0.01, "refuted"),
    ("inferiority", -0.02, -SESOI + 0.01, 0.05, 0.5, "refuted"),     # CI rules out a drop worth having
    ("inferiority", -0.2, -0.4, 0.1, 0.2, "inconclusive"),
    ("non_superiority", 0.0, -0.05, 0.05, 1.0, "supported"),
    ("non_superiority", 0.3, 0.1, 0.5, 0.001, "refuted"),
    ("above_threshold", -0.1, -0.2, -0.02, 0.3, "refuted"),
    ("superiority", math.nan, math.nan, math.nan, math.nan, "not run"),
])
def test_decision_rules(kind, effect, ci_low, ci_high, p, expected):
    assert decide(kind, effect, ci_low, ci_high, p, control_rate=0.5) == expected


@pytest.mark.parametrize("kind,control,effect,ci_low,ci_high,p,expected", [
    # both arms at 100%: the data cannot show a gain at all, so not "refuted" (CI [0, 0] < SESOI)
    ("superiority", 1.0, 0.0, 0.0, 0.0, math.nan, "ceiling"),
    # control at exactly 1 - SESOI: a gain of SESOI would need a perfect treatment arm; ceiling
    ("superiority", 1 - SESOI, 0.1, 0.05, 0.1, 0.001, "ceiling"),
    # just below the bound: there is room, so the ordinary rules apply
    ("superiority", 0.85, 0.15, 0.1, 0.15, 0.001, "supported"),
    # H3 at a ceiling: "temperature does not fix it" is empty when nothing needs fixing
    ("non_superiority", 0.95, 0.0, 0.0, 0.0, 1.0, "ceiling"),
    # a predicted drop from a control already at 5%: floor
    ("inferiority", 0.05, -0.05, -0.05, 0.0, 0.5, "floor"),
    ("inferiority", SESOI, -0.1, -0.1, -0.1, 0.001, "floor"),
    ("inferiority", 0.5, -0.4, -0.5, -0.3, 0.001, "supported"),
    # a gain from a control at 0% is not a floor: there is all the room in the world
    ("superiority", 0.0, 0.0, 0.0, 0.0, math.nan, "refuted"),
    # a significant change the wrong way refutes even from a bound
    ("superiority", 1.0, -0.6, -0.8, -0.4, 0.001, "refuted"),
    ("inferiority", 0.0, 0.5, 0.3, 0.7, 0.001, "refuted"),
    # an unrun arm stays "not run" even when the other arm is at a bound
    ("superiority", 1.0, math.nan, math.nan, math.nan, math.nan, "not run"),
])
def test_bounds_come_before_the_test(kind, control, effect, ci_low, ci_high, p, expected):
    assert decide(kind, effect, ci_low, ci_high, p, control_rate=control) == expected


def test_both_arms_at_100_percent_is_a_ceiling_with_the_rates():
    data = samples({("vague", None): [4] * N_TASKS, ("vague", 1.0): [4] * N_TASKS, ("blueprint", None): [4] * N_TASKS,
                    ("blueprint_no_role", None): [4] * N_TASKS, ("blueprint_no_numbers", None): [3] * N_TASKS})
    comparisons = claims.evaluate_claims(data, n_boot=500)
    rows = by_id(comparisons)
    assert rows["H1"]["effect"] == 0 and rows["H1"]["ci_high"] == 0            # would be "refuted" without the bound
    assert rows["H1"]["verdict"] == "ceiling" and rows["H3"]["verdict"] == "ceiling"
    assert rows["H1"]["next_step"] == ("vague is already at 1.00 (>= 0.90), blueprint at 1.00: no room to show "
                                       "a gain of 0.10; harder tasks would be needed")
    assert rows["H4a"]["verdict"] == "ceiling"                                  # control 4/4
    assert rows["H4b"]["verdict"] == "supported"                                # control 3/4 = 0.75: room
    table = claims.claim_table(comparisons)
    pooled = table[table.scope == claims.ALL_MODELS].set_index("claim")
    assert pooled.loc["H1", "verdict"] == "ceiling" and "vague is already at 1.00" in pooled.loc["H1", "note"]
    assert pooled.loc["H4", "verdict"] == "inconclusive"      # one part at the ceiling, one supported, three not run
    assert pooled.loc["H2", "verdict"] == "refuted" and pooled.loc["H2", "note"] == ""   # blindness 0 < 25%


@pytest.mark.parametrize("parts,expected", [
    (["ceiling", "ceiling", "not run"], "ceiling"),
    (["ceiling", "refuted"], "refuted"),
    (["ceiling", "supported"], "inconclusive"),
    (["floor"], "floor"),
    (["ceiling", "floor"], "inconclusive"),
    (["not run", "not run"], "not run"),
    (["supported", "supported"], "supported"),
])
def test_claim_verdict_of_parts(parts, expected):
    assert claims.claim_verdict(parts) == expected


def test_every_claim_has_a_declared_comparison():
    assert {c.claim for c in COMPARISONS} == {c.id for c in claims.CLAIMS}
    assert len({c.id for c in COMPARISONS}) == len(COMPARISONS)
