"""The inspect-ai task `scaleblind`: samples are task x variant; the scorer grades the answer at every tier.

    inspect eval scaleblind/scaleblind --model reference/scalable -T tasks=filters/faceted_catalog \
        -T variants=vague,blueprint -T sandbox=local

Temperature is part of a variant's run spec (`vague@t=1.0`), not of its prompt: the solver passes the sample's
`temperature` metadata to `generate`, so one task can hold the same prompt at several temperatures (claim H3)
and the sample's metadata says which temperature produced it. Building the task only reads files: no Docker,
no network.
"""
from __future__ import annotations

import hashlib
from typing import Any

from inspect_ai import Epochs, Task, task
from inspect_ai.dataset import MemoryDataset, Sample
from inspect_ai.model import ChatMessage, ChatMessageUser
from inspect_ai.scorer import mean_score
from inspect_ai.solver import Generate, Solver, TaskState, solver

from .graders.grade import new_nonce
from .graders.scorer import none_as_nan, scale_correctness
from .models.base import Turn
from .prompts.render import VariantRun, get_variant, parse_variant_spec, prompts_version, render
from .tasks.registry import all_tasks, get_task, tasks_in_split
from .tasks.spec import TaskSpec

TASK_NAME = "scaleblind"
EVAL_VERSION = 1  # bump when the solver or scorer changes what a score means
DEFAULT_VARIANTS = ("vague", "blueprint")
DEFAULT_SANDBOX = "scaleblind"
# `--sandbox docker|local` on our command line, and `-T sandbox=docker|local` on inspect's, name our sandboxes.
SANDBOX_ALIASES = {"docker": "scaleblind", "local": "scaleblind-local"}
TASKSET_FILES = ("*.toml", "*.py")


def taskset_version() -> str:
    """A short hash of every task's spec and code, so logs made with different task sets are told apart."""
    digest = hashlib.sha256()
    for spec in all_tasks().values():
        for pattern in TASKSET_FILES:
            for path in sorted(spec.folder.glob(pattern)):
                digest.update(f"{spec.id}/{path.name}\0".encode() + path.read_bytes() + b"\0")
    return digest.hexdigest()[:12]


def _as_list(value: str | list[str] | tuple[str, ...] | None) -> list[str] | None:
    """inspect's `-T a,b` arrives as a list; a single value as a string."""
    if value is None:
        return None
    return [v.strip() for v in value.split(",")] if isinstance(value, str) else [str(v) for v in value]


def sample_metadata(spec: TaskSpec, run: VariantRun, taskset: str) -> dict[str, Any]:
    """Exactly the fields the statistics read (see results/load.py)."""
    return {"task_id": spec.id, "family": spec.family, "split": spec.split, "task_version": spec.version,
            "variant": run.name, "ingredients": dict(get_variant(run.name).ingredients),
            "temperature": run.temperature, "taskset_version": taskset}


def make_sample(spec: TaskSpec, run: VariantRun, taskset: str) -> Sample:
    """The first user turn is the sample's input; later turns (two-turn variants) are added by the solver."""
    first = render(spec, run.name)[0]
    return Sample(id=f"{spec.id}:{run.label}", input=[ChatMessageUser(content=first)],
                  metadata=sample_metadata(spec, run, taskset))


def selected_tasks(task_ids: list[str] | None, split: str | None = None) -> list[TaskSpec]:
    """The listed tasks (default: the benchmark's splits), keeping only those of `split` when one is given."""
    if task_ids and split is None:
        return [get_task(t) for t in task_ids]
    in_split = {spec.id for spec in tasks_in_split(split)}
    specs = [get_task(t) for t in task_ids] if task_ids else list(all_tasks().values())
    chosen = [spec for spec in specs if spec.id in in_split]
    if not chosen:
        raise ValueError(f"no task is in split {split!r}" if split else "no task chosen")
    return chosen


def build_dataset(task_ids: list[str] | None, runs: list[VariantRun], split: str | None = None) -> MemoryDataset:
    specs = selected_tasks(task_ids, split)
    taskset = taskset_version()
    return MemoryDataset([make_sample(spec, run, taskset) for spec in specs for run in runs], name=TASK_NAME)


def _stamped(message: ChatMessage, turn: Turn) -> ChatMessage:
    return message.model_copy(update={"metadata": {**(message.metadata or {}), **turn.stamp()}})


@solver
def answer_turns() -> Solver:
    """Ask each user turn of the variant in one conversation; the last reply is the one graded.

    Each user message is stamped (message metadata, never sent to real providers) with task, variant label,
    epoch and turn, which is how the offline models know what they are answering.
    """

    async def solve(state: TaskState, generate: Generate) -> TaskState:
        meta = state.metadata
        run = VariantRun(meta["variant"], meta["temperature"])
        turns = render(get_task(meta["task_id"]), run.name)
        config = {} if run.temperature is None else {"temperature": run.temperature}
        for number, text in enumerate(turns, 1):
            turn = Turn(meta["task_id"], run.label, state.epoch, number)
            if number == 1:
                state.messages[-1] = _stamped(state.messages[-1], turn)
            else:
                state.messages.append(_stamped(ChatMessageUser(content=text), turn))
            state = await generate(state, **config)
        return state

    return solve


def resolve_sandbox(name: str) -> str:
    return SANDBOX_ALIASES.get(name, name)


@task(name=TASK_NAME)
def scaleblind(tasks: str | list[str] | None = None, variants: str | list[str] | None = None,
               tiers: str | list[str] | None = None, seed: int | None = None,
               sandbox: str = DEFAULT_SANDBOX, split: str | None = None) -> Task:
    """Every chosen task rendered as every chosen variant (default: all tasks; vague and blueprint).

    Args:
        tasks: task ids (default: all).
        variants: variant run specs such as `blueprint` or `vague@t=1.0`.
        tiers: tier names to grade (default: all, smallest first).
        seed: one seed for every sample's generated worlds (reproducible); default: a fresh seed per sample
            (from a nonce drawn for this run, the sample id and the epoch), recorded in each sample's score.
        sandbox: `scaleblind` (Docker, hardened; alias `docker`) or `scaleblind-local` (host; alias `local`).
        split: only the tasks of this split (`core` or `hard`); default: every task.
    """
    runs = [parse_variant_spec(v) for v in _as_list(variants) or DEFAULT_VARIANTS]
    tier_names = _as_list(tiers)
    nonce = None if seed is not None else new_nonce()  # not a task argument: a resumed run draws its own
    return Task(
        dataset=build_dataset(_as_list(tasks), runs, split),
        solver=answer_turns(),
        scorer=scale_correctness(seed=seed, tiers=tier_names, nonce=nonce),
        sandbox=resolve_sandbox(sandbox),
        epochs=Epochs(1, mean_score(value_to_float=none_as_nan)),
        # A harness error (HarnessError) ends one sample as an error that is not scored: every other sample of
        # the task still runs and is scored; the log is marked failed at the end, so a rerun retries only it.
        continue_on_fail=True,
        version=EVAL_VERSION,
        metadata={"taskset_version": taskset_version(), "prompts_version": prompts_version(), "seed": seed,
                  "seeds": "fixed" if seed is not None else "per sample", "seed_nonce": nonce,
                  "tiers": tier_names, "split": split, **provenance(resolve_sandbox(sandbox))},
    )


def provenance(sandbox: str) -> dict[str, Any]:
    """What a merged leaderboard needs to tell runs apart: the sandbox image (its tag is a hash of its inputs,
    computed from files: no Docker call) and the versions of the packages that grade."""
    import platform
    from importlib.metadata import version
    image = None
    if sandbox == DEFAULT_SANDBOX:
        from .sandbox.image import image_tag
        image = image_tag()
    packages = {name: version(name) for name in ("scaleblind", "inspect-ai")}
    return {"sandbox": sandbox, "image_digest": image, "packages": {**packages, "python": platform.python_version()}}
