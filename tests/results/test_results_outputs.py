"""report, leaderboard and HF export from synthetic logs: files appear and hold the known numbers."""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import pandas as pd
import pytest
from conftest import TASKS, build_log, standard_outcomes, write_log

from scaleblind.results.leaderboard import leaderboard_main, leaderboard_table, tied_ranks
from scaleblind.results.load import load_results
from scaleblind.results.report import report_main

N_BOOT = 500


def test_report_writes_markdown_and_strict_json(log_dir: Path, tmp_path: Path, capsys):
    out = tmp_path / "out"
    assert report_main([log_dir], out) == 0
    report = json.loads((out / "report.json").read_text())
    assert report["inputs"]["n_samples"] == 2 * len(TASKS) * 11 * 4
    pooled = {c["claim"]: c["verdict"] for c in report["claims"] if c["scope"] == "all models"}
    assert set(pooled) == {"H1", "H2", "H3", "H4", "H5", "H6"}
    h1 = next(r for r in report["comparisons"] if r["scope"] == "mock/strong" and r["id"] == "H1")
    # strong: blueprint 4/4 everywhere, default-temperature vague i%2 of 4 -> mean per-task lift 1 - 0.125
    assert h1["effect"] == pytest.approx(0.875) and h1["n_tasks"] == len(TASKS) and h1["n_pairs"] == 24
    assert h1["p_wilcoxon"] == pytest.approx(2 / 2 ** 6)       # six positive differences: exact 2/2^6
    rate = next(r for r in report["rates"] if r["model"] == "mock/weak" and r["variant"] == "blueprint_no_role")
    assert rate["scale_correct_rate"] == 0.25 and rate["n_tasks"] == len(TASKS)
    md = (out / "report.md").read_text()
    assert "## Claims (all models pooled)" in md and "| H1 | blueprint > vague | 6 | 48 |" in md
    assert "H1: " in capsys.readouterr().out


def test_report_says_which_claims_were_not_run(tmp_path: Path):
    only = {k: v for k, v in standard_outcomes(2).items() if k[1] in ("vague", "blueprint") and k[2] is None}
    write_log(build_log("mock/m", only, epochs=4), tmp_path, "m")
    report_main([tmp_path], tmp_path / "out")
    md = (tmp_path / "out" / "report.md").read_text()
    assert "| H5 | Analysis before code beats the same analysis asked for after the code. | **not run** |  |" in md
    assert "run variants blueprint and blueprint_analysis_after" in md


def test_report_marks_a_ceiling_with_its_rates(tmp_path: Path, capsys):
    """Both arms at 100% (a strong model on easy tasks): H1 is a ceiling, not a refutation."""
    perfect = {(task, variant, None): (4, 4) for task in TASKS for variant in ("vague", "blueprint")}
    write_log(build_log("mock/frontier", perfect, epochs=4), tmp_path, "frontier")
    report_main([tmp_path], tmp_path / "out")
    report = json.loads((tmp_path / "out" / "report.json").read_text())
    h1 = next(c for c in report["claims"] if c["scope"] == "all models" and c["claim"] == "H1")
    assert h1["verdict"] == "ceiling" and "vague is already at 1.00 (>= 0.90), blueprint at 1.00" in h1["note"]
    md = (tmp_path / "out" / "report.md").read_text()
    assert "| H1 | Blueprint prompts raise the scale-correct rate over vague prompts (same model, same tasks). | " \
           "**ceiling** | vague is already at 1.00" in md
    assert "H1: ceiling (vague is already at 1.00" in capsys.readouterr().out


def test_leaderboard_ranks_rates_and_lift(log_dir: Path):
    board = leaderboard_table(load_results([log_dir]).samples, n_boot=N_BOOT)
    assert list(board.model) == ["mock/strong", "mock/weak"]
    strong, weak = board.iloc[0], board.iloc[1]
    assert strong.blueprint == 1.0 and weak.blueprint == 0.5
    assert strong.lift == pytest.approx(0.875) and weak.lift == pytest.approx(0.375)
    assert strong.vague_blindness == pytest.approx(1 - 0.125)
    assert weak.family_filters == 0.5 and strong.family_sync == 1.0
    # weak's CI is [0.5, 0.5], strong's [1, 1]: disjoint, so distinct ranks
    assert list(board.rank_label) == ["1", "2"]


def test_overlapping_intervals_tie():
    rate = pd.Series([0.8, 0.7, 0.3])
    low, high = pd.Series([0.6, 0.5, 0.1]), pd.Series([0.9, 0.85, 0.45])
    assert list(tied_ranks(rate, low, high)) == [1, 1, 3]
    nan = pd.Series([math.nan] * 3)
    assert list(tied_ranks(rate, nan, nan)) == [1, 1, 1]     # no intervals: nothing is clearly better


def test_leaderboard_files_and_hf_export_round_trip(log_dir: Path, tmp_path: Path, monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_DATASETS_CACHE", str(tmp_path / "hf-cache"))
    out = tmp_path / "out"
    assert leaderboard_main([log_dir], out) == 0
    for name in ("leaderboard.md", "leaderboard.csv", "leaderboard.json", "index.html", "hf_dataset/README.md"):
        assert (out / name).is_file(), name
    csv = pd.read_csv(out / "leaderboard.csv")
    assert list(csv.model) == ["mock/strong", "mock/weak"]
    assert json.loads((out / "leaderboard.json").read_text())["leaderboard"][1]["blueprint"] == 0.5
    page = (out / "index.html").read_text()
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//|url\(\s*["']?https?:|@import|fetch\(|XMLHttpRequest""",
                         page)                                    # self-contained: nothing to fetch
    assert page.count("data:image/svg+xml;base64,") == 2

    from datasets import load_dataset
    ds = load_dataset(str(out / "hf_dataset"))["train"]
    assert ds.num_rows == 2 * len(TASKS) * 11 * 4
    frame = ds.to_pandas()
    strong_blue = frame[(frame.model == "mock/strong") & (frame.variant == "blueprint")]
    assert strong_blue.scale_correct.mean() == 1.0
    assert [t["tier"] for t in strong_blue.iloc[0]["tiers"]] == ["demo", "launch", "growth"]
    prov = load_dataset(str(out / "hf_dataset"), "provenance")["train"]
    assert set(prov["image_digest"]) == {"sha256:abc"}
    flat = load_dataset("parquet", data_files=str(out / "hf_dataset" / "data" / "samples-*.parquet"))["train"]
    assert flat.num_rows == ds.num_rows


def test_bad_input_raises_one_line_value_error(tmp_path: Path):
    with pytest.raises(ValueError, match="no inspect logs"):
        leaderboard_main([tmp_path], tmp_path / "out")
    with pytest.raises(ValueError, match="no such log file"):
        report_main([tmp_path / "nope"], tmp_path / "out")


def test_cli_report_and_leaderboard(log_dir: Path, tmp_path: Path, capsys):
    from scaleblind.cli import main
    assert main(["report", str(log_dir), "--out", str(tmp_path / "o")]) == 0
    assert (tmp_path / "o" / "report.json").is_file()
    assert main(["leaderboard", str(tmp_path / "missing"), "--out", str(tmp_path / "o")]) == 2
    assert capsys.readouterr().err.strip() == f"scaleblind: error: no such log file or directory: {tmp_path / 'missing'}"


def test_report_compares_claims_on_efficiency_where_the_rate_is_at_its_ceiling(tmp_path: Path):
    """Both arms scale-correct everywhere (H1 a ceiling), but vague answers cost more: the efficiency section
    shows the paired difference, its CI and the signed-rank p-value scipy gives for the same differences."""
    from scipy import stats as scipy_stats
    perfect = {(task, variant, None): (4, 4) for task in TASKS for variant in ("vague", "blueprint")}
    log = build_log("mock/frontier", perfect, epochs=4, efficiency=True)
    for sample in log.samples:
        if sample.metadata["variant"] == "vague":
            value = 0.7 + 0.02 * TASKS.index(sample.metadata["task_id"])
            sample.scores["scale_correctness"].metadata["verdict"]["efficiency"]["score"] = value
    write_log(log, tmp_path, "frontier")
    report_main([tmp_path], tmp_path / "out")
    report = json.loads((tmp_path / "out" / "report.json").read_text())
    h1 = next(r for r in report["efficiency"] if r["scope"] == "all models" and r["id"] == "H1")
    diffs = [1 - (0.7 + 0.02 * i) for i in range(len(TASKS))]
    assert h1["effect"] == pytest.approx(sum(diffs) / len(diffs)) and h1["n_tasks"] == len(TASKS)
    assert h1["treatment_mean"] == 1.0 and h1["control_mean"] == pytest.approx(0.75)
    assert h1["p_wilcoxon"] == pytest.approx(scipy_stats.wilcoxon(diffs).pvalue) and h1["ci_low"] > 0
    md = (tmp_path / "out" / "report.md").read_text()
    assert "## Efficiency score, paired within task" in md and "| H1 | blueprint > vague | 6 | 24 | 1.00 / 0.75 |" in md


def test_report_without_efficiency_has_no_efficiency_section(log_dir: Path, tmp_path: Path):
    report_main([log_dir], tmp_path / "out")
    assert json.loads((tmp_path / "out" / "report.json").read_text())["efficiency"] == []
    assert "Efficiency score" not in (tmp_path / "out" / "report.md").read_text()
