"""Shared pieces for the evaluation tests: one small task, a host sandbox, temporary log directories."""
from pathlib import Path

import pytest

from scaleblind.run import RunOptions

TASK_ID = "filters/faceted_catalog"


@pytest.fixture
def options(tmp_path: Path):
    """RunOptions for a small local run; tests override what they vary."""

    def make(**changes) -> RunOptions:
        base = dict(models=["reference/scalable"], tasks=[TASK_ID], variants=["vague"], epochs=1, sandbox="local",
                    log_dir=tmp_path / "logs", seed=None, display="none")
        return RunOptions(**{**base, **changes})

    return make


def sample_scores(logs) -> dict[tuple[str, str, int], dict]:
    """(model, sample id, epoch) -> score value, read back from the logs on disk."""
    from inspect_ai.log import read_eval_log
    out = {}
    for header in logs:
        log = read_eval_log(header.location)
        for sample in log.samples or []:
            out[(log.eval.model, str(sample.id), sample.epoch)] = sample.scores["scale_correctness"].value
    return out
