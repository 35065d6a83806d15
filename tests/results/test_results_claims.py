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


@pytest.mark.parametrize("kind,effect,ci_high,p,expected", [
    ("superiority", 0.3, 0.5, 0.01, "supported"),
    ("superiority", -0.3, -0.1, 0.01, "refuted"),
    ("superiority", 0.02, SESOI - 0.01, 0.5, "refuted"),      # CI rules out a gain worth having
    ("superiority", 0.2, 0.4, 0.2, "inconclusive"),
    ("non_superiority", 0.0, 0.05, 1.0, "supported"),
    ("non_superiority", 0.3, 0.5, 0.001, "refuted"),
    ("above_threshold", -0.1, -0.02, 0.3, "refuted"),
    ("superiority", math.nan, math.nan, math.nan, "not run"),
])
def test_decision_rules(kind, effect, ci_high, p, expected):
    assert decide(kind, effect, ci_high, p) == expected


def test_every_claim_has_a_declared_comparison():
    assert {c.claim for c in COMPARISONS} == {c.id for c in claims.CLAIMS}
    assert len({c.id for c in COMPARISONS}) == len(COMPARISONS)
