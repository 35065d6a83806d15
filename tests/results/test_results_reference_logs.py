"""Real logs of the offline reference models: the numbers must be what those models are built to give.

reference/scalable always writes the reference solution (scale-correct); reference/naive always writes the
naive one (correct at demo, never scale-correct). Neither reads the prompt, so the blueprint cannot help.
Runs over $SCALEBLIND_REFERENCE_LOGS when set; otherwise it makes the logs itself, as a user would:
  scaleblind run --model reference/scalable --model reference/naive --variants vague,blueprint --tasks (5 tasks)
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from scaleblind.results import claims
from scaleblind.results.leaderboard import leaderboard_table
from scaleblind.results.load import find_log_files, load_results

MODELS = {"reference/scalable", "reference/naive"}
# Five tasks from five families: the fewest for which the cluster bootstrap gives intervals.
TASKS = "filters/faceted_catalog,data_access/order_details,data_access/dashboard_tile,feeds/activity_feed,search/autocomplete"
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def logs(tmp_path_factory) -> Path:
    if os.environ.get("SCALEBLIND_REFERENCE_LOGS"):
        return Path(os.environ["SCALEBLIND_REFERENCE_LOGS"])
    from scaleblind.cli import main
    log_dir = tmp_path_factory.mktemp("reference-logs")
    code = main(["run", "--model", "reference/scalable", "--model", "reference/naive", "--variants",
                 "vague,blueprint", "--tasks", TASKS, "--sandbox", "local", "--log-dir", str(log_dir),
                 "--display", "none"])
    assert code == 0
    return log_dir


def reference_samples(logs: Path):
    files = find_log_files([logs])
    samples = load_results(files, allow_mixed=True).samples
    samples = samples[samples.model.isin(MODELS) & samples.scored]
    newest = samples.taskset_version.dropna().max()
    samples = samples[samples.taskset_version == newest]
    if set(samples.model) != MODELS or not {"vague", "blueprint"} <= set(samples.variant):
        pytest.skip("reference logs lack a model or the vague/blueprint variants")
    return samples


def test_reference_rates_are_exact(logs):
    s = reference_samples(logs)
    scalable, naive = s[s.model == "reference/scalable"], s[s.model == "reference/naive"]
    assert scalable.scale_correct.mean() == 1.0 and scalable.correct_at_demo.mean() == 1.0
    assert naive.correct_at_demo.mean() == 1.0 and naive.scale_correct.mean() == 0.0
    assert naive.scale_blind.mean() == 1.0 and scalable.scale_blind.mean() == 0.0


def test_reference_leaderboard_and_claims(logs):
    s = reference_samples(logs)
    board = leaderboard_table(s, n_boot=500)
    assert list(board.model) == ["reference/scalable", "reference/naive"]
    assert list(board.blueprint) == [1.0, 0.0] and list(board.lift) == [0.0, 0.0]
    if board.tasks.min() >= 5:                 # CIs [1, 1] and [0, 0] do not overlap
        assert list(board.rank_label) == ["1", "2"]
    rows = claims.evaluate_claims(s, n_boot=500)
    h1 = rows[(rows.scope == claims.ALL_MODELS) & (rows.id == "H1")].iloc[0]
    assert h1.effect == 0.0                    # the reference models ignore the prompt
    if h1.n_tasks >= 5:
        assert h1.verdict == "refuted"         # pooled control 50%: room to gain, and CI [0, 0] rules it out
    scalable = rows[(rows.scope == "reference/scalable") & (rows.id == "H1")].iloc[0]
    assert scalable.verdict == "ceiling"       # both arms at 100%: no room for a gain, so no refutation
    naive = rows[(rows.scope == "reference/naive") & (rows.id == "H1")].iloc[0]
    assert naive.verdict in ("refuted", "inconclusive")    # 0% to 0%: room to gain, none seen
