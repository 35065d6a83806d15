"""Real logs of the offline reference models: the numbers must be what those models are built to give.

reference/scalable always writes the reference solution (scale-correct); reference/naive always writes the
naive one (correct at demo, never scale-correct). Neither reads the prompt, so the blueprint cannot help.
Runs over `results/logs/` (or $SCALEBLIND_REFERENCE_LOGS) and is skipped when no such logs exist:
  scaleblind run --model reference/scalable --model reference/naive --variants vague,blueprint
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from scaleblind.results import claims
from scaleblind.results.leaderboard import leaderboard_table
from scaleblind.results.load import find_log_files, load_results

REPO = Path(__file__).resolve().parents[2]
LOGS = Path(os.environ.get("SCALEBLIND_REFERENCE_LOGS", REPO / "results" / "logs"))
MODELS = {"reference/scalable", "reference/naive"}


def reference_samples():
    try:
        files = find_log_files([LOGS])
    except ValueError:
        pytest.skip(f"no reference logs in {LOGS}")
    samples = load_results(files, allow_mixed=True).samples
    samples = samples[samples.model.isin(MODELS) & samples.scored]
    newest = samples.taskset_version.dropna().max()
    samples = samples[samples.taskset_version == newest]
    if set(samples.model) != MODELS or not {"vague", "blueprint"} <= set(samples.variant):
        pytest.skip("reference logs lack a model or the vague/blueprint variants")
    return samples


def test_reference_rates_are_exact():
    s = reference_samples()
    scalable, naive = s[s.model == "reference/scalable"], s[s.model == "reference/naive"]
    assert scalable.scale_correct.mean() == 1.0 and scalable.correct_at_demo.mean() == 1.0
    assert naive.correct_at_demo.mean() == 1.0 and naive.scale_correct.mean() == 0.0
    assert naive.scale_blind.mean() == 1.0 and scalable.scale_blind.mean() == 0.0


def test_reference_leaderboard_and_claims():
    s = reference_samples()
    board = leaderboard_table(s, n_boot=500)
    assert list(board.model) == ["reference/scalable", "reference/naive"]
    assert list(board.blueprint) == [1.0, 0.0] and list(board.lift) == [0.0, 0.0]
    if board.tasks.min() >= 5:                 # CIs [1, 1] and [0, 0] do not overlap
        assert list(board.rank_label) == ["1", "2"]
    rows = claims.evaluate_claims(s, n_boot=500)
    h1 = rows[(rows.scope == claims.ALL_MODELS) & (rows.id == "H1")].iloc[0]
    assert h1.effect == 0.0                    # the reference models ignore the prompt
    if h1.n_tasks >= 5:
        assert h1.verdict == "refuted"         # CI [0, 0] rules out a 10-point gain
