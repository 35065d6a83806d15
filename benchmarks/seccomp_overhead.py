"""What our seccomp profile costs: a reference's grading time under it and under the engine's default profile.

Runs alternate (ours, default, ours, ...) in fresh containers so machine load hits both alike, and prints the
median of each and their ratio. Every system call passes the filter, so a syscall-heavy workload (the driver
serving platform calls over pipes) shows the cost if there is one.

    python benchmarks/seccomp_overhead.py [--task data_access/order_details] [--runs 3]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time

from scaleblind.graders.grade import grade_answer
from scaleblind.sandbox import container, settings
from scaleblind.sandbox.docker import open_docker_sandbox
from scaleblind.sandbox.pool import shutdown_all
from scaleblind.tasks.registry import REFERENCE_MODULE, get_task, solution_path

PROFILES = ("ours", "engine default")


def engine_default_kwargs(*args, **kwargs):  # type: ignore[no-untyped-def]
    """Our container settings with the seccomp option left out: the engine applies its default profile."""
    made = settings.container_kwargs(*args, **kwargs)
    made["security_opt"] = [o for o in made["security_opt"] if not o.startswith("seccomp=")]
    return made


def grade_seconds(task: str, profile: str) -> float:
    """One reference grading, all tiers, in a new container with the given profile."""
    spec = get_task(task)
    code = solution_path(spec, REFERENCE_MODULE).read_text()

    async def run() -> float:
        async with open_docker_sandbox() as env:
            started = time.monotonic()
            verdict = await grade_answer(spec, code, env)
            assert verdict["scale_correct"], verdict["failure"]
            return time.monotonic() - started

    container.container_kwargs = settings.container_kwargs if profile == "ours" else engine_default_kwargs
    try:
        return asyncio.run(run())
    finally:
        container.container_kwargs = settings.container_kwargs
        shutdown_all()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--task", default="data_access/order_details")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    times: dict[str, list[float]] = {name: [] for name in PROFILES}
    for _ in range(args.runs):
        for name in PROFILES:
            times[name].append(grade_seconds(args.task, name))
    medians = {name: statistics.median(values) for name, values in times.items()}
    for name, median in medians.items():
        print(f"{name:15s} median {median:6.2f} s over {args.runs} gradings of {args.task}'s reference")
    print(f"ours / engine default: {medians['ours'] / medians['engine default']:.2f}")


if __name__ == "__main__":
    main()
