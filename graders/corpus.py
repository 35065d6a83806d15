"""Grade a folder of recorded answers (the `replay` format: answers.jsonl) with fixed seeds.

The recorded corpus of real model answers (`corpus/`) is the test of record for the graders: every answer must
get a verdict from the solution's own behaviour, never from a fault of ours (a HarnessError), and an answer
whose prompt no longer matches the task's current prompt is stale, not gradable.
"""
from __future__ import annotations

import asyncio
import json
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Callable

from ..models.replay import ANSWERS_FILE
from ..prompts.render import render
from ..sandbox.registry import default_sandbox, factory
from ..tasks.registry import get_task
from .errors import HarnessError
from .grade import DEFAULT_SEED, grade_answer


@dataclass(frozen=True)
class Graded:
    """One recorded answer's outcome: the verdict's summary, or why it has none."""

    task_id: str
    variant: str
    epoch: int
    scale_correct: bool | None
    correct_at_demo: bool | None
    failure: str | None
    failure_tier: str | None
    message: str
    efficiency: float | None
    harness_error: str | None
    stale: bool
    seconds: float


def answers(folder: Path) -> list[dict[str, Any]]:
    """The final turn of every recorded conversation (the turn that holds the code), in file order."""
    records = [json.loads(line) for line in (folder / ANSWERS_FILE).read_text(encoding="utf-8").splitlines()
               if line.strip()]
    last: dict[tuple, dict] = {}
    for record in records:
        key = (record["task_id"], record["variant"], record["epoch"])
        if key not in last or record.get("turn", 1) > last[key].get("turn", 1):
            last[key] = record
    return list(last.values())


def is_stale(record: dict[str, Any]) -> bool:
    """The task's prompt changed since the answer was recorded: the answer no longer answers it."""
    turns = render(get_task(record["task_id"]), record["variant"])
    return record.get("prompt") is not None and record["prompt"] != turns[record.get("turn", 1) - 1]


def summary(record: dict[str, Any], verdict: dict[str, Any] | None, error: str | None, stale: bool,
            seconds: float) -> Graded:
    verdict = verdict or {}
    failing = next((t for t in verdict.get("tiers", []) if t["tier"] == verdict.get("failure_tier")), {})
    return Graded(record["task_id"], record["variant"], record["epoch"], verdict.get("scale_correct"),
                  verdict.get("correct_at_demo"), verdict.get("failure"), verdict.get("failure_tier"),
                  (failing.get("message") or verdict.get("message") or "")[:300],
                  (verdict.get("efficiency") or {}).get("score"),
                  error, stale, round(seconds, 1))


async def _grade_one(record: dict[str, Any], env: Any, seed: int) -> Graded:
    start = time.monotonic()
    if is_stale(record):
        return summary(record, None, None, True, 0.0)
    try:
        verdict = await grade_answer(get_task(record["task_id"]), record["answer"], env, seed)
    except HarnessError as exc:
        return summary(record, None, str(exc), False, time.monotonic() - start)
    return summary(record, verdict, None, False, time.monotonic() - start)


def grade_recorded(folder: Path, sandbox: str, seed: int = DEFAULT_SEED, workers: int = 2,
                   progress: Callable[[Graded], None] | None = None) -> list[Graded]:
    """Every recorded answer in `folder`, graded by `workers` sandboxes side by side."""
    return grade_recorded_records(answers(folder), sandbox, seed, workers, progress)


def grade_recorded_records(todo: list[dict[str, Any]], sandbox: str | None = None, seed: int = DEFAULT_SEED,
                           workers: int = 2, progress: Callable[[Graded], None] | None = None) -> list[Graded]:
    """Recorded answers (final turns, as `answers` gives them), graded side by side."""
    sandbox = sandbox or default_sandbox()
    queue: asyncio.Queue = asyncio.Queue()
    for index, record in enumerate(todo):
        queue.put_nowait((index, record))
    results: list[Graded | None] = [None] * len(todo)

    async def worker() -> None:
        while not queue.empty():
            index, record = queue.get_nowait()
            # a sandbox per answer, as a sample gets one: its watchdog bounds one grading (warm pools make it cheap)
            async with factory(sandbox)() as env:
                results[index] = await _grade_one(record, env, seed)
            if progress:
                progress(results[index])

    async def run() -> None:
        await asyncio.gather(*(worker() for _ in range(max(1, min(workers, len(todo))))))

    asyncio.run(run())
    return [r for r in results if r is not None]


def as_rows(graded: list[Graded]) -> list[dict[str, Any]]:
    return [asdict(g) for g in graded]
