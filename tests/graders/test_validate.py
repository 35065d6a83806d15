"""`tasks validate`'s judgement of a task's pair of verdicts, efficiency included (pure)."""
from scaleblind.graders.validate import problems, summary
from scaleblind.tasks.registry import get_task

SPEC = get_task("filters/faceted_catalog")


def verdict(correct: bool, demo: bool, failure: str | None, efficiency: float | None) -> dict:
    return {"scale_correct": correct, "correct_at_demo": demo, "failure": failure,
            "failure_tier": None if correct else "launch", "highest_tier_passed": "growth" if correct else "demo",
            "growth": {}, "tiers": [], "efficiency": {"definition": "1", "score": efficiency}}


def test_a_reference_below_the_maximum_efficiency_is_a_problem():
    naive = verdict(False, True, SPEC.naive_failures[0], 0.11)
    assert problems(SPEC, verdict(True, True, None, 1.0), naive) == []
    found = problems(SPEC, verdict(True, True, None, 0.97), naive)
    assert len(found) == 1 and "reference scores 0.97 on efficiency (definition 1), not 1.0" in found[0]


def test_summary_reports_the_naive_score():
    assert summary(verdict(False, True, SPEC.naive_failures[0], 0.11))["efficiency"] == 0.11
