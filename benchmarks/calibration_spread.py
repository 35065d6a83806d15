"""How stable is compute measurement on a busy machine? Grade a CPU-bound reference many times beside CPU hogs
and print the spread of the calibration factor and of the solution's normalised compute.

A grading's latency is its virtual I/O plus its CPU time scaled by the calibration factor, so what must hold
still under load is the *normalised compute* (measured CPU x factor): if the machine slows the solution down,
it must slow the calibration down the same way. Spread = max / min over the gradings (1.00 = identical); the
raw CPU line (compute divided by the tier's final factor) is what the spread would be with no calibration.
Usage: python benchmarks/calibration_spread.py [--gradings 20] [--hogs 2] [--task ID] [--tier NAME]
       [--sandbox local|docker]
"""
import argparse
import multiprocessing
import statistics
import time

from scaleblind.graders.grade import grade_file
from scaleblind.sandbox.registry import default_sandbox
from scaleblind.tasks.registry import get_task, solution_path


def hog() -> None:
    x = 0
    while True:
        x = (x * 31 + 7) % 1_000_003


def spread(name: str, values: list[float]) -> str:
    low, mid, high = min(values), statistics.median(values), max(values)
    return f"{name:<22} min {low:9.3f}  median {mid:9.3f}  max {high:9.3f}  max/min {high / low:5.2f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--gradings", type=int, default=20)
    parser.add_argument("--hogs", type=int, default=2)
    parser.add_argument("--task", default="joins/inventory_merge", help="a task whose reference is CPU-bound")
    parser.add_argument("--tier", default="growth")
    parser.add_argument("--sandbox", default=None)
    args = parser.parse_args()
    sandbox = args.sandbox or default_sandbox()
    spec = get_task(args.task)
    hogs = [multiprocessing.Process(target=hog, daemon=True) for _ in range(args.hogs)]
    for process in hogs:
        process.start()
    factors, computes, raws = [], [], []
    started = time.monotonic()
    try:
        for i in range(args.gradings):
            verdict = grade_file(spec, solution_path(spec, "reference"), sandbox, seed=0, tiers=[args.tier])
            tier = verdict["tiers"][0]
            factors.append(verdict["calibration"]["factor"])
            computes.append(tier["compute_ms"])
            raws.append(tier["compute_ms"] / tier["calibration_factor"])
            print(f"grading {i + 1:>2}: factor {factors[-1]:.3f}  compute {computes[-1]:8.1f} ms  "
                  f"{tier['failure'] or 'pass'}", flush=True)
    finally:
        for process in hogs:
            process.terminate()
    print(f"{spec.id} reference, tier {args.tier}, {args.gradings} gradings beside {args.hogs} CPU hogs, "
          f"sandbox {sandbox} ({time.monotonic() - started:.0f} s)")
    print(spread("calibration factor", factors))
    print(spread("normalised compute ms", computes))
    print(spread("raw CPU ms (about)", raws) + "   <- compute / the tier's final factor: the spread with no calibration")


if __name__ == "__main__":
    main()
