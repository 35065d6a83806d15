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


def test_a_reference_whose_meters_drift_between_sandbox_and_driver_is_a_problem():
    """Cheaper in the sandbox than in the driver still scores 1; the meters themselves must agree."""
    naive = verdict(False, True, SPEC.naive_failures[0], 0.11)
    reference = verdict(True, True, None, 1.0)
    reference["tiers"] = [{"tier": "demo", "meters": {"api_calls": 10.0, "rate_limited": 3.0},
                           "reference_meters": {"api_calls": 12.0}}]
    found = problems(SPEC, reference, naive)
    assert found == ["reference's api_calls at demo is 10.0 in the sandbox but 12.0 in the driver: its cost is not "
                     "reproducible, so no answer's efficiency can be"]     # rate_limited is recorded, not scored
