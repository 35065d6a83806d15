"""Time per task and per tier: world generation, and grading the reference through every tier.

Targets (issue 2 and 6): any `growth` tier generates in < 5 s (we aim for < 2.5 s: the driver builds it
twice); grading a reference through every tier < 30 s; validating every task < 5 min.
Usage: python benchmarks/tasks_timing.py [--sandbox local|docker] [--task ID]
"""
import argparse
import asyncio
import statistics
import time

from scaleblind.graders.driver import build_world
from scaleblind.graders.grade import grade_answer
from scaleblind.graders.validate import validate_task
from scaleblind.platforms.database_writes import forget_shared_databases
from scaleblind.sandbox.registry import default_sandbox, factory
from scaleblind.tasks.registry import WORLD_MODULE, all_tasks, get_task, solution_path, task_module


def clear_caches(spec) -> None:
    """Forget data a world module memoises (e.g. a read-only catalog), so each build is timed cold."""
    forget_shared_databases()
    for value in vars(task_module(spec, WORLD_MODULE)).values():
        if callable(getattr(value, "cache_clear", None)):
            value.cache_clear()


def generation_seconds(spec, tier, repeats: int = 3) -> float:
    """Median cold build time of one world."""
    times = []
    for _ in range(repeats):
        clear_caches(spec)
        started = time.perf_counter()
        build_world(spec, tier, 0)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


async def main(sandbox: str, task_ids: list[str]) -> None:
    print(f"sandbox: {sandbox}")
    print(f"{'task':<34} {'tier':<8} {'size':>9} {'generate s':>11} {'grade wall s':>13}")
    validate_total = 0.0
    async with factory(sandbox)() as env:
        for task_id in task_ids:
            spec = get_task(task_id)
            started = time.perf_counter()
            verdict = await grade_answer(spec, solution_path(spec, "reference").read_text(), env)
            grade_s = time.perf_counter() - started
            walls = {t["tier"]: t["wall_s"] for t in verdict["tiers"]}
            for tier in spec.tiers:
                print(f"{spec.id:<34} {tier.name:<8} {tier.size:>9,} {generation_seconds(spec, tier):>11.3f} "
                      f"{walls.get(tier.name, float('nan')):>13.3f}")
            started = time.perf_counter()
            result = await validate_task(spec, env)
            validate_s = time.perf_counter() - started
            validate_total += validate_s
            print(f"{spec.id:<34} reference graded in {grade_s:.1f} s (target < 30 s, "
                  f"{'ok' if verdict['scale_correct'] else 'NOT scale-correct'}); validate {validate_s:.1f} s "
                  f"({'ok' if result['ok'] else 'FAIL'})")
    print(f"all validation: {validate_total:.0f} s for {len(task_ids)} tasks (target < 300 s)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sandbox", default=None)
    parser.add_argument("--task", action="append")
    args = parser.parse_args()
    asyncio.run(main(args.sandbox or default_sandbox(), args.task or list(all_tasks())))
