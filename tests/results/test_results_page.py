"""The page's data: columns appear only with data, splits get their own leaderboards, cost is per model, answers
are stored once and can never close the script block they travel in."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from conftest import build_log, write_log

from scaleblind.results.leaderboard import split_boards, usage_table
from scaleblind.results.load import load_results
from scaleblind.results.page import Texts, growth_fit, outcome, page_data, script_json

N_BOOT = 200
OUTCOMES = {("filters/a", "vague", None): (2, 1), ("filters/a", "blueprint", None): (2, 2),
            ("feeds/b", "vague", None): (2, 0), ("feeds/b", "blueprint", None): (1, 1)}


def data_of(tmp_path: Path, **log_args) -> dict:
    write_log(build_log("mock/m", OUTCOMES, epochs=2, **log_args), tmp_path, "m")
    res = load_results([tmp_path])
    return page_data(res, split_boards(res.samples, N_BOOT, 1), usage_table(res.samples))


def keys(columns: list[dict]) -> list[str]:
    return [c["key"] for c in columns]


def test_optional_columns_and_metrics_appear_only_with_data(tmp_path: Path):
    plain = data_of(tmp_path / "plain")
    assert "efficiency" not in keys(plain["columns"]["samples"]) and "cost_usd" not in keys(plain["columns"]["samples"])
    assert "efficiency_blueprint" not in keys(plain["columns"]["leaderboard"])
    assert [m["key"] for m in plain["metrics"]] == ["scale_correct", "correct_at_demo"]
    assert plain["splits"] == ["core"] and list(plain["leaderboards"]) == ["all"] and not plain["priced"]

    rich = data_of(tmp_path / "rich", efficiency=True, usd_per_token=0.001, splits={"feeds/b": "hard"})
    assert {"efficiency", "cost_usd"} <= set(keys(rich["columns"]["samples"]))
    assert {"efficiency_blueprint", "efficiency_vague"} <= set(keys(rich["columns"]["leaderboard"]))
    assert rich["metrics"][-1] == {"key": "efficiency", "label": "efficiency score", "top": 1.0, "optional": True}
    assert rich["splits"] == ["core", "hard"] and set(rich["leaderboards"]) == {"all", "core", "hard"}
    assert rich["leaderboards"]["hard"][0]["tasks"] == 1 and rich["leaderboards"]["all"][0]["tasks"] == 2
    assert rich["priced"]


def test_leaderboard_efficiency_is_the_arm_mean(tmp_path: Path):
    rich = data_of(tmp_path, efficiency=True)
    row = rich["leaderboards"]["all"][0]
    # blueprint: 3 scale-correct (1.0) + 1 not (0.25) of 4; vague: 1 scale-correct of 4
    assert row["efficiency_blueprint"] == pytest.approx((3 + 0.25) / 4)
    assert row["efficiency_vague"] == pytest.approx((1 + 3 * 0.25) / 4)


def test_usage_table_counts_tokens_and_prices_only_known_costs(tmp_path: Path):
    write_log(build_log("mock/priced", OUTCOMES, epochs=2, usd_per_token=0.001), tmp_path, "priced")
    write_log(build_log("mock/free", OUTCOMES, epochs=2), tmp_path, "free")
    usage = usage_table(load_results([tmp_path]).samples).set_index("model")
    tokens = 4 * (141 + 142)                      # 4 task x variant arms, epochs 1 and 2
    priced, free = usage.loc["mock/priced"], usage.loc["mock/free"]
    assert priced.samples == 8 and priced.output_tokens == 4 * (41 + 42) and priced.input_tokens == 800
    assert priced.cost_usd == pytest.approx(tokens * 0.001) and priced.priced == 8
    assert priced.cost_per_sample == pytest.approx(tokens * 0.001 / 8)
    assert priced.cost_per_scale_correct == pytest.approx(tokens * 0.001 / 4)     # 1 + 2 + 0 + 1 correct
    assert math.isnan(free.cost_usd) and math.isnan(free.cost_per_sample) and free.priced == 0
    assert priced.seconds_per_sample == pytest.approx(3.5)


def test_efficiency_out_of_100_gets_its_own_colour_scale(tmp_path: Path):
    write_log(build_log("mock/m", OUTCOMES, epochs=2, efficiency=True), tmp_path, "m")
    res = load_results([tmp_path])
    res.samples["efficiency"] *= 100
    data = page_data(res, split_boards(res.samples, N_BOOT, 1), usage_table(res.samples))
    assert data["metrics"][-1]["top"] == 100.0


def test_samples_carry_tiers_with_budgets_growth_and_shared_texts(tmp_path: Path):
    data = data_of(tmp_path, failures={"feeds/b": "over_memory"})
    by = {(s["task"], s["variant"], s["epoch"]): s for s in data["samples"]}
    good, bad = by[("filters/a", "blueprint", 1)], by[("feeds/b", "vague", 1)]
    assert good["outcome"] == "scale_correct" and [t["tier"] for t in good["tiers"]] == ["demo", "launch", "growth"]
    assert good["tiers"][0]["p95_latency_ms_text"] == "5.0 ms / 200 ms (40x headroom)"
    assert good["tiers"][0]["result"] == "pass" and good["tiers"][0]["requests"] == "12 / 12"
    assert bad["outcome"] == "over_memory" and bad["failure_tier"] == "launch"
    assert bad["tiers"][1]["result"] == "over_memory" and bad["tiers"][1]["message"] == "over_memory at launch"
    assert bad["tiers"][1]["p95_latency_ms_text"] == "25 ms / 200 ms (8.0x headroom)"
    assert len(good["growth"]["points"]) == 3 and len(good["growth"]["line"]) == 2
    assert data["texts"][good["code"]].startswith("def answer():  # filters/a blueprint epoch 1")
    assert data["texts"][good["prompt"]] == "Implement filters/a (blueprint)."
    prompts = {s["prompt"] for s in data["samples"] if s["task"] == "filters/a" and s["variant"] == "vague"}
    assert len(prompts) == 1                                          # one prompt, stored once for both epochs


def test_growth_fit_recovers_a_power_law():
    tiers = [{"size": n, "mean_latency_ms": 0.5 * n ** 1.5} for n in (10, 1_000, 100_000)]
    fit = growth_fit(tiers)
    assert fit["line"][0] == pytest.approx((10, 0.5 * 10 ** 1.5)) and fit["line"][1] == pytest.approx((1e5, 0.5 * 1e5 ** 1.5))
    assert growth_fit(tiers[:1]) == {"points": [(10, 0.5 * 10 ** 1.5)], "line": []}
    assert growth_fit([{"size": 30, "mean_latency_ms": None}]) == {"points": [], "line": []}


@pytest.mark.parametrize("row,expected", [
    ({"scored": True, "scale_correct": 1.0, "failure": None}, "scale_correct"),
    ({"scored": True, "scale_correct": 0.0, "failure": "rate_limited"}, "rate_limited"),
    ({"scored": False, "scale_correct": math.nan, "failure": None}, "error"),
])
def test_outcome(row, expected):
    assert outcome(row) == expected


def test_texts_are_interned():
    texts = Texts()
    assert [texts.add("a"), texts.add("b"), texts.add("a"), texts.add(None), texts.add("")] == [0, 1, 0, None, None]
    assert texts.items == ["a", "b"]


def test_script_json_cannot_close_the_script_block():
    hostile = {"code": "</script><script>alert(1)</script>\u2028<!--"}
    text = script_json(hostile)
    assert "</" not in text and "\u2028" not in text and text.isascii()
    assert json.loads(text) == hostile


def test_leaderboard_markdown_has_a_table_per_split_and_the_cost(tmp_path: Path):
    from scaleblind.results.leaderboard import leaderboard_main
    write_log(build_log("mock/m", OUTCOMES, epochs=2, efficiency=True, usd_per_token=0.001,
                        splits={"feeds/b": "hard"}), tmp_path, "m")
    leaderboard_main([tmp_path], tmp_path / "out")
    md = (tmp_path / "out" / "leaderboard.md").read_text()
    assert "## Split: core" in md and "## Split: hard" in md and "efficiency blueprint" in md
    assert "| mock/m | 8 | 800 | 332 | 142 | $1.1320 | $0.1415 | $0.2830 |" in md
    board = json.loads((tmp_path / "out" / "leaderboard.json").read_text())
    assert set(board["by_split"]) == {"core", "hard"} and board["usage"][0]["priced"] == 8
