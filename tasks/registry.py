"""Discovers task folders: any `tasks/<family>/<name>/task.toml`. Adding a task means adding a folder."""
import importlib
from functools import cache
from pathlib import Path
from types import ModuleType

from .spec import BENCHMARK_SPLITS, SPLITS, TaskSpec, load_spec

TASKS_ROOT = Path(__file__).resolve().parent
# The files every task folder has (see tasks/README.md).
WORLD_MODULE, REFERENCE_MODULE, NAIVE_MODULE = "world", "reference", "naive"


class UnknownTask(KeyError):
    def __str__(self) -> str:
        return f"unknown task {self.args[0]!r}; see `scaleblind tasks list`"


@cache
def all_tasks() -> dict[str, TaskSpec]:
    specs = [load_spec(p.parent) for p in sorted(TASKS_ROOT.glob("*/*/task.toml"))]
    return {spec.id: spec for spec in specs}


class UnknownSplit(KeyError):
    def __str__(self) -> str:
        return f"unknown split {self.args[0]!r}; choose from {', '.join(SPLITS)} or all"


def tasks_in_split(split: str | None) -> list[TaskSpec]:
    """The tasks of one split, every task for "all", or the benchmark's splits (core and hard, not the
    rejected candidates) when `split` is None. The one place any command selects by split, so `run`,
    `tasks validate` and `answers export` agree."""
    if split is not None and split != "all" and split not in SPLITS:
        raise UnknownSplit(split)
    chosen = BENCHMARK_SPLITS if split is None else SPLITS if split == "all" else (split,)
    return [spec for spec in all_tasks().values() if spec.split in chosen]


def get_task(task_id: str) -> TaskSpec:
    try:
        return all_tasks()[task_id]
    except KeyError:
        raise UnknownTask(task_id) from None


def task_module(spec: TaskSpec, name: str) -> ModuleType:
    """Import one of a task's files as a module, e.g. its world generator."""
    rel = spec.folder.relative_to(TASKS_ROOT)
    return importlib.import_module(".".join([__package__, *rel.parts, name]))


def solution_path(spec: TaskSpec, name: str) -> Path:
    """The file of a task's reference or naive solution."""
    return spec.folder / f"{name}.py"
