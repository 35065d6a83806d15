"""Splits: `split` in task.toml (default core), the one selection helper, and every command that selects by it."""
import json
import pytest

from scaleblind.cli import main
from scaleblind.evaluation import scaleblind, selected_tasks
from scaleblind.tasks.registry import UnknownSplit, all_tasks, get_task, tasks_in_split
from scaleblind.tasks.spec import SPLITS, load_spec

SOME_TASK = "data_access/order_details"


def task_copy(tmp_path, split_line: str | None):
    """A copy of a real task.toml with `split_line` added (or none), loaded as a spec."""
    text = (get_task(SOME_TASK).folder / "task.toml").read_text(encoding="utf-8")
    assert "\nsplit" not in text
    folder = tmp_path / "task"
    folder.mkdir(parents=True)
    (folder / "task.toml").write_text((split_line + "\n" if split_line else "") + text, encoding="utf-8")
    return folder


def test_split_defaults_to_core_and_is_read_from_the_file(tmp_path):
    assert load_spec(task_copy(tmp_path / "a", None)).split == "core"
    assert load_spec(task_copy(tmp_path / "b", 'split = "hard"')).split == "hard"


def test_an_unknown_split_in_a_task_file_is_refused(tmp_path):
    with pytest.raises(ValueError, match="split must be one of core, hard"):
        load_spec(task_copy(tmp_path, 'split = "medium"'))


def test_tasks_in_split_partitions_the_registry():
    parts = {split: tasks_in_split(split) for split in SPLITS}
    assert sorted(s.id for part in parts.values() for s in part) == sorted(all_tasks())
    for split, specs in parts.items():
        assert all(spec.split == split for spec in specs)
    assert [s.id for s in tasks_in_split("all")] == list(all_tasks())
    assert get_task(SOME_TASK) in parts["core"]
    with pytest.raises(UnknownSplit, match="unknown split 'medium'"):
        tasks_in_split("medium")


def test_tasks_list_shows_and_filters_by_split(capsys):
    assert main(["tasks", "list", "--split", "all", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert {row["id"]: row["split"] for row in rows} == {s.id: s.split for s in all_tasks().values()}
    assert main(["tasks", "list", "--split", "core"]) == 0
    out = capsys.readouterr().out
    core = [s.id for s in tasks_in_split("core")]
    assert all(task_id in out for task_id in core) and f"({len(core)} core)" in out
    assert main(["tasks", "list", "--split", "medium"]) == 2
    assert "unknown split" in capsys.readouterr().err


@pytest.mark.parametrize("split", SPLITS)
def test_samples_carry_their_split_and_a_run_selects_by_it(split):
    specs = tasks_in_split(split)
    if not specs:
        with pytest.raises(ValueError, match="no task is in split"):
            scaleblind(split=split, variants="vague")
        return
    task = scaleblind(split=split, variants="vague")
    assert sorted(s.metadata["task_id"] for s in task.dataset) == sorted(s.id for s in specs)
    assert {s.metadata["split"] for s in task.dataset} == {split}
    assert task.metadata["split"] == split


def test_listed_tasks_outside_the_split_are_left_out():
    assert [s.id for s in selected_tasks([SOME_TASK], "core")] == [SOME_TASK]
    with pytest.raises(ValueError):
        selected_tasks([SOME_TASK], "hard")


def test_run_and_validate_refuse_tasks_and_split_together(capsys):
    for argv in (["run", "--tasks", SOME_TASK, "--split", "core"],
                 ["tasks", "validate", "--task", SOME_TASK, "--split", "core"]):
        with pytest.raises(SystemExit):
            main(argv)
        assert "not allowed with argument" in capsys.readouterr().err


def test_default_selection_is_the_benchmark_and_all_adds_the_rejected_candidates():
    from scaleblind.tasks.registry import all_tasks, tasks_in_split
    from scaleblind.tasks.spec import BENCHMARK_SPLITS
    assert {s.split for s in tasks_in_split(None)} <= set(BENCHMARK_SPLITS)
    assert {s.id for s in tasks_in_split("all")} == set(all_tasks())
    assert {s.id for s in tasks_in_split(None)} | {s.id for s in tasks_in_split("candidate")} == set(all_tasks())


def test_every_candidate_is_in_the_split_its_published_decision_says():
    """tasks/README.md lists every candidate tried with its real-answer rates and decision: kept -> hard,
    rejected -> candidate (or removed from the repository). The table and the task files must agree."""
    import re
    from pathlib import Path
    from scaleblind.tasks.registry import all_tasks
    table = (Path(__file__).resolve().parents[2] / "tasks" / "README.md").read_text(encoding="utf-8")
    decided = {m[1]: m[2] for m in re.finditer(r"^\| `([a-z_]+/[a-z_]+)` \|.*\| (kept|rejected) \|", table, re.M)}
    tried = {s.id: s.split for s in all_tasks().values() if s.split != "core"}
    assert tried.keys() <= decided.keys()
    assert all(tried.get(t) == "hard" if d == "kept" else tried.get(t) in ("candidate", None)  # or removed
               for t, d in decided.items())
