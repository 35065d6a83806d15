"""Building the inspect task: samples, their exact metadata, and no Docker or network while building."""
import re

import pytest
from conftest import TASK_ID

from scaleblind.evaluation import SANDBOX_ALIASES, scaleblind, taskset_version

METADATA_KEYS = {"task_id", "family", "split", "task_version", "variant", "ingredients", "temperature", "taskset_version"}
INGREDIENTS = {"role", "numbers", "boundaries", "analysis_first", "analysis_after", "vague_scale", "two_turn"}


def test_samples_are_task_by_variant_with_exact_metadata():
    task = scaleblind(tasks=[TASK_ID], variants=["vague", "blueprint", "vague@t=1.0"])
    samples = list(task.dataset)
    assert [s.id for s in samples] == [f"{TASK_ID}:vague", f"{TASK_ID}:blueprint", f"{TASK_ID}:vague@t=1"]
    for sample in samples:
        assert set(sample.metadata) == METADATA_KEYS
        assert set(sample.metadata["ingredients"]) == INGREDIENTS
        assert sample.metadata["taskset_version"] == taskset_version()
    assert samples[2].metadata["variant"] == "vague" and samples[2].metadata["temperature"] == 1.0
    assert samples[0].metadata["temperature"] is None
    assert samples[1].metadata["ingredients"]["analysis_first"]


def test_defaults_and_cli_style_arguments():
    task = scaleblind(tasks=TASK_ID, variants="vague,blueprint")  # `-T variants=a,b` may arrive as one string
    assert len(task.dataset) == 2
    assert task.sandbox.type == "scaleblind"  # only a name: nothing is started while building
    assert task.metadata["taskset_version"] == taskset_version() and task.version
    assert len(scaleblind().dataset) >= 2  # all tasks x (vague, blueprint)


@pytest.mark.parametrize("alias, name", list(SANDBOX_ALIASES.items()))
def test_sandbox_aliases(alias, name):
    assert scaleblind(tasks=[TASK_ID], variants=["vague"], sandbox=alias).sandbox.type == name


def test_taskset_version_is_a_stable_short_hash():
    assert re.fullmatch(r"[0-9a-f]{12}", taskset_version()) and taskset_version() == taskset_version()


def test_unknown_variant_is_refused():
    with pytest.raises(KeyError):
        scaleblind(tasks=[TASK_ID], variants=["nosuch"])
