"""The readable verdict: every measure with a budget is shown against it, with the headroom."""
import pytest

from scaleblind.graders.explain import against_budget, format_verdict, headroom


@pytest.mark.parametrize("value,budget,expected", [
    (12, 200, "17x headroom"),          # 200 / 12 = 16.7
    (160, 800, "5.0x headroom"),
    (200, 200, "1.0x headroom"),        # exactly at the budget still passes
    (500, 200, "2.5x over"),
    (0, 200, "no measurable cost"),
    (12, None, ""),
    (None, 200, ""),
])
def test_headroom(value, budget, expected):
    assert headroom(value, budget) == expected


def test_against_budget_formats_units_and_thousands():
    assert against_budget(12.0, 200, "ms") == "12 ms / 200 ms (17x headroom)"
    assert against_budget(2021.4, 800, "ms") == "2,021 ms / 800 ms (2.5x over)"
    assert against_budget(0.42, 5, "ms") == "0.4 ms / 5 ms (12x headroom)"
    assert against_budget(31.2, None, "MB") == "31 MB"


def test_format_verdict_shows_each_budget_and_the_failure():
    verdict = {"task": "fam/task", "scale_correct": False, "correct_at_demo": True, "failure": "over_latency",
               "failure_tier": "launch", "growth": {"exponent": 1.02, "complexity_class": "O(n)"},
               "tiers": [
                   {"tier": "demo", "size": 30, "failure": None, "p95_latency_ms": 12.0, "total_ms": 240.0,
                    "peak_memory_mb": 21.0, "api_calls": 3, "queries": 0,
                    "budget": {"latency_ms_p95": 200, "total_ms": None, "memory_mb": 256}},
                   {"tier": "launch", "size": 2000, "failure": "over_latency", "p95_latency_ms": 900.0,
                    "total_ms": 9000.0, "peak_memory_mb": 25.0, "api_calls": 80, "queries": 0,
                    "message": "stopped after 1 requests", "budget": {"latency_ms_p95": 200, "memory_mb": 256}}]}
    text = format_verdict(verdict)
    lines = text.splitlines()
    assert lines[0] == "fam/task: NOT scale-correct: over_latency at launch (correct at demo: yes)"
    assert "p95 12 ms / 200 ms (17x headroom)" in lines[1] and "mem 21 MB / 256 MB (12x headroom)" in lines[1]
    assert "total 240 ms  " in lines[1]                              # no total budget: the measure alone
    assert "over_latency" in lines[2] and "p95 900 ms / 200 ms (4.5x over)" in lines[2]
    assert lines[3].strip() == "stopped after 1 requests"
    assert lines[4] == "  growth: mean latency ~ n^1.02 (O(n))"


def test_a_verdict_without_tiers_is_one_line():
    verdict = {"task": "fam/task", "scale_correct": False, "correct_at_demo": False, "failure": "no_code",
               "failure_tier": None, "tiers": [], "growth": {}, "message": "no code block"}
    assert format_verdict(verdict) == ("fam/task: NOT scale-correct: no_code (correct at demo: no)\n"
                                       "  no code block")


def test_scorer_explanation_carries_the_budgets_in_a_fixed_width_block():
    from scaleblind.graders.scorer import explanation
    verdict = {"task": "fam/task", "scale_correct": True, "correct_at_demo": True, "failure": None,
               "failure_tier": None, "growth": {}, "tiers": [
                   {"tier": "demo", "size": 30, "failure": None, "p95_latency_ms": 12.0, "peak_memory_mb": 21.0,
                    "budget": {"latency_ms_p95": 200, "memory_mb": 256}}]}
    text = explanation(verdict, "def f():\n    pass")
    assert text.startswith("```text\nfam/task: scale-correct") and "p95 12 ms / 200 ms (17x headroom)" in text
    assert text.endswith("```python\ndef f():\n    pass\n```")
