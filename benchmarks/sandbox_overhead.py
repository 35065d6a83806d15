"""Per-sample overhead of the Docker sandbox, cold (new container) and warm (reset + reuse).

Overhead is what a sample pays besides its own work: acquiring a container, one trivial exec (the shape of a
grader call), and releasing it (for warm reuse that release includes the reset that kills every solution
process and wipes scratch). Prints medians over a few runs.

    python benchmarks/sandbox_overhead.py [--runs 5]
"""

from __future__ import annotations

import argparse
import statistics
import time

import anyio

from scaleblind.sandbox.docker import open_docker_sandbox
from scaleblind.sandbox.image import build_image
from scaleblind.sandbox.pool import IDLE, shutdown_all


async def one_sample() -> float:
    """Seconds for acquire + `python3 -c pass` as the solution uid + release."""
    started = time.monotonic()
    async with open_docker_sandbox(memory_mb=512) as env:
        result = await env.exec(["python3", "-c", "pass"], user="1001", timeout=60)
        assert result.success, result.stderr
    return time.monotonic() - started


async def exec_only(runs: int) -> float:
    """Median of one trivial exec in an already open sandbox: the floor under every sample."""
    async with open_docker_sandbox(memory_mb=512) as env:
        times = []
        for _ in range(runs):
            started = time.monotonic()
            await env.exec(["python3", "-c", "pass"], user="1001", timeout=60)
            times.append(time.monotonic() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    print(build_image().message)
    cold = []
    for _ in range(runs):
        IDLE.clear()
        shutdown_all()
        cold.append(anyio.run(one_sample))
    anyio.run(one_sample)  # park one warm container
    warm = [anyio.run(one_sample) for _ in range(runs)]
    floor = anyio.run(exec_only, runs)
    shutdown_all()
    print(f"cold per-sample overhead: median {statistics.median(cold):.3f} s over {runs} runs")
    print(f"warm per-sample overhead: median {statistics.median(warm):.3f} s over {runs} runs (target < 0.5 s)")
    print(f"of which one trivial exec: median {floor:.3f} s")


if __name__ == "__main__":
    main()
