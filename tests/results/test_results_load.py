"""Loading synthetic inspect logs with known outcomes into tidy frames."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest
from conftest import TASKS, build_log, standard_outcomes, write_log
from inspect_ai.log import EvalSample

from scaleblind.results.load import find_log_files, load_results


def test_rows_and_rates_match_the_spec(log_dir: Path):
    res = load_results([log_dir])
    s = res.samples
    assert len(s) == 2 * len(TASKS) * 11 * 4            # models x tasks x (variant, temperature) arms x epochs
    strong = s[s.model == "mock/strong"]
    assert strong[strong.variant == "blueprint"].scale_correct.mean() == 1.0      # 4 of 4 everywhere
    assert strong[strong.variant == "blueprint_no_role"].scale_correct.mean() == 0.75
    vague = strong[(strong.variant == "vague") & strong.temperature.isna()]
    assert vague.scale_correct.mean() == 0.5 / 4                                  # i % 2 of 4 epochs
    assert vague.scale_blind.mean() == 1 - 0.5 / 4                                # all demo-correct
    assert set(s.family) == {t.split("/")[0] for t in TASKS}
    hot = strong[strong.temperature == 1.0]
    assert set(hot.variant) == {"vague"} and len(hot) == len(TASKS) * 4


def test_tiers_frame_carries_per_tier_costs(log_dir: Path):
    res = load_results([log_dir])
    s = res.samples
    # tiers stop at the first failure: 3 for scale-correct answers, 2 for demo-correct ones, 1 otherwise
    assert len(res.tiers) == (3 * s.scale_correct.sum() + 2 * ((s.correct_at_demo == 1) & (s.scale_correct == 0)).sum()
                              + (s.correct_at_demo == 0).sum())
    assert list(res.tiers.groupby("tier_index").tier.first()) == ["demo", "launch", "growth"]
    naive = res.tiers[(res.tiers.variant == "role_only") & (res.tiers.tier == "launch")]
    assert (naive.p95_latency_ms == 5 + 0.01 * 2_000).all() and (naive.passed == 0).all()
    assert (naive.failure == "over_latency").all() and (naive.budget_latency_ms_p95 == 200).all()
    assert set(res.tiers[res.tiers.tier == "demo"].passed) == {1.0}


def test_split_efficiency_usage_code_and_label_are_read(tmp_path: Path):
    outcomes = {("filters/x", "vague", None): (2, 1), ("hard/y", "vague", None): (2, 0)}
    log = build_log("replay//tmp/answers/chat-ui", outcomes, epochs=2, splits={"hard/y": "hard"}, efficiency=True,
                    usd_per_token=0.001)
    s = load_results([write_log(log, tmp_path, "r")]).samples.set_index(["task", "epoch"])
    assert s.loc[("filters/x", 1), "split"] == "core" and s.loc[("hard/y", 1), "split"] == "hard"  # default core
    assert s.loc[("filters/x", 1), "efficiency"] == 1.0 and s.loc[("filters/x", 2), "efficiency"] == 0.25
    assert s.loc[("filters/x", 2), "total_tokens"] == 142 and s.loc[("filters/x", 2), "cost_usd"] == pytest.approx(0.142)
    assert s.loc[("filters/x", 1), "code"].startswith("def answer():")
    assert s.loc[("filters/x", 1), "prompt"] == "Implement filters/x (vague)."
    assert set(s.model_label) == {"replay/chat-ui"} and set(s.model) == {"replay//tmp/answers/chat-ui"}
    labelled = build_log("replay//tmp/a", outcomes, epochs=2, model_args={"label": "GPT in the chat UI"})
    assert set(load_results([write_log(labelled, tmp_path, "l")]).samples.model_label) == {"GPT in the chat UI"}


def test_without_price_or_efficiency_they_are_missing_not_zero(log_dir: Path):
    s = load_results([log_dir]).samples
    assert s.cost_usd.isna().all() and s.efficiency.isna().all() and (s.total_tokens > 0).all()


def test_same_log_twice_is_deduplicated(log_dir: Path, tmp_path: Path):
    copy = tmp_path / "copy"
    copy.mkdir()
    shutil.copy(log_dir / "strong.eval", copy / "strong-from-another-machine.eval")
    once = load_results([log_dir])
    twice = load_results([log_dir, copy])
    assert len(twice.samples) == len(once.samples)
    assert len(twice.tiers) == len(once.tiers)
    assert len(twice.provenance) == 3                   # every file read is recorded


def test_two_runs_of_one_model_are_both_kept(tmp_path: Path):
    for name in ("day1", "day2"):
        write_log(build_log("mock/m", standard_outcomes(1), epochs=4), tmp_path, name)
    res = load_results([tmp_path])
    assert res.samples.run_id.nunique() == 2
    assert len(res.samples) == 2 * len(TASKS) * 11 * 4


def test_provenance_is_carried(log_dir: Path):
    prov = load_results([log_dir]).provenance
    assert set(prov.image_digest) == {"sha256:abc"}
    assert set(prov.taskset_version) == {"1.0"} and set(prov.seed) == {7}
    assert '"scaleblind": "0.1.0"' in prov.packages.iloc[0]


def test_mixed_taskset_versions_are_refused_unless_allowed(tmp_path: Path):
    write_log(build_log("mock/a", standard_outcomes(1), epochs=4, taskset_version="1.0"), tmp_path, "a")
    write_log(build_log("mock/b", standard_outcomes(1), epochs=4, taskset_version="2.0"), tmp_path, "b")
    with pytest.raises(ValueError, match="mix task-set versions 1.0, 2.0"):
        load_results([tmp_path])
    assert load_results([tmp_path], allow_mixed=True).samples.taskset_version.nunique() == 2


def test_logs_without_sample_ids_or_provenance_still_load(tmp_path: Path):
    log = build_log("mock/old", {("filters/x", "vague", None): (2, 1)}, epochs=2, provenance=False,
                    with_ids=False)
    res = load_results([write_log(log, tmp_path, "old")])
    assert list(res.samples.scale_correct) == [1.0, 0.0]
    assert res.provenance.image_digest.isna().all()


def test_errored_sample_is_kept_unscored(tmp_path: Path):
    log = build_log("mock/m", {("filters/x", "vague", None): (1, 1)}, epochs=1, with_ids=False)
    log.samples.append(EvalSample(id="filters/x:blueprint", epoch=1, input="p", target="",
                                  metadata={"task_id": "filters/x", "variant": "blueprint", "taskset_version": "1.0"}))
    res = load_results([write_log(log, tmp_path, "err")])
    bad = res.samples[res.samples.variant == "blueprint"].iloc[0]
    assert not bad.scored and bad.scale_correct != bad.scale_correct   # NaN: excluded from every rate


def test_bad_inputs_give_one_line_errors(tmp_path: Path):
    with pytest.raises(ValueError, match="no such log file"):
        find_log_files([tmp_path / "missing"])
    with pytest.raises(ValueError, match="no inspect logs"):
        find_log_files([tmp_path])
    junk = tmp_path / "junk.eval"
    junk.write_text("not a zip")
    with pytest.raises(ValueError, match="not a readable inspect log"):
        load_results([junk])


def test_efficiency_per_tier_and_its_definition_are_read(tmp_path: Path):
    log = build_log("m/x", {("filters/x", "vague", None): (2, 1)}, epochs=2, efficiency=True)
    res = load_results([write_log(log, tmp_path, "e")])
    assert set(res.samples.efficiency_definition) == {"1"}
    tiers = res.tiers.set_index(["epoch", "tier"])
    assert tiers.loc[(1, "growth"), "efficiency"] == 1.0 and tiers.loc[(2, "launch"), "efficiency"] == 0.0
    assert tiers.loc[(2, "demo"), "efficiency"] == 0.75 and tiers.loc[(2, "demo"), "efficiency_over"] == "api_calls 3.0x"
    assert pd.isna(tiers.loc[(1, "demo"), "efficiency_over"])               # as cheap as the reference


def test_mixed_efficiency_definitions_are_refused_unless_allowed(tmp_path: Path):
    paths = []
    for definition in ("1", "2"):
        log = build_log("m/x", {("filters/x", "vague", None): (1, 1)}, epochs=1, efficiency=True)
        for sample in log.samples:
            sample.scores["scale_correctness"].metadata["verdict"]["efficiency"]["definition"] = definition
        paths.append(write_log(log, tmp_path, f"d{definition}"))
    with pytest.raises(ValueError, match="efficiency-score definitions 1, 2"):
        load_results(paths)
    assert len(load_results(paths, allow_mixed=True).samples) == 2
