"""The scorer's numbers: the value dict, and rates that skip undefined scale-blindness instead of counting 0."""
import math

import pytest
from inspect_ai.scorer import SampleScore, Score, stderr

from scaleblind.graders.scorer import clustered_stderr, none_as_nan, rate, rate_stderr, score_value


@pytest.mark.parametrize("demo, correct, expected", [
    (True, True, {"scale_correct": 1, "correct_at_demo": 1, "scale_blind": 0, "efficiency": None}),
    (True, False, {"scale_correct": 0, "correct_at_demo": 1, "scale_blind": 1, "efficiency": None}),
    (False, False, {"scale_correct": 0, "correct_at_demo": 0, "scale_blind": None, "efficiency": None}),
])
def test_score_value(demo, correct, expected):
    assert score_value({"correct_at_demo": demo, "scale_correct": correct}) == expected


def test_score_value_carries_the_efficiency_score():
    verdict = {"correct_at_demo": True, "scale_correct": True, "efficiency": {"definition": "1", "score": 0.87}}
    assert score_value(verdict)["efficiency"] == 0.87


def scores(values, tasks):
    """Per-key scores as inspect hands them to a metric: the key's bare value, None included (no validation)."""
    return [SampleScore(score=Score.model_construct(value=v), sample_id=i, sample_metadata={"task_id": t})
            for i, (v, t) in enumerate(zip(values, tasks))]


def test_rate_ignores_none():
    assert rate()(scores([1, None, 0, None], "abcd")) == 0.5
    assert math.isnan(rate()(scores([None, None], "ab")))


def test_rate_stderr_matches_inspect_clustered_stderr_without_missing_values():
    values, tasks = [1, 0, 1, 1, 0, 0, 1], list("aabbbcd")
    ours = rate_stderr()(scores(values, tasks))
    theirs = stderr(cluster="task_id")(scores(values, tasks))
    assert ours == pytest.approx(theirs)


def test_rate_stderr_drops_none_before_clustering():
    with_none = rate_stderr()(scores([1, None, 0, 1, None], list("aabcc")))
    assert with_none == pytest.approx(clustered_stderr([[1.0], [0.0], [1.0]]))


def test_none_as_nan():
    assert math.isnan(none_as_nan(None)) and none_as_nan(True) == 1.0 and none_as_nan(0) == 0.0


def test_epoch_reducer_skips_undefined_scale_blindness():
    from inspect_ai.scorer import mean_score
    reduce = mean_score(value_to_float=none_as_nan)
    both = reduce([Score(value={"scale_blind": None, "scale_correct": 0}),
                   Score(value={"scale_blind": 1, "scale_correct": 0})]).value
    assert both == {"scale_blind": 1.0, "scale_correct": 0.0}
    assert math.isnan(reduce([Score(value={"scale_blind": None})]).value["scale_blind"])
