"""Verdicts hold when the machine is busy: grade the same solutions idle and beside CPU hogs.

Prints each verdict (with its efficiency score) both ways and the ratio of the solutions' normalised compute
(busy / idle). The verdicts and scores must be identical; compute ratios near 1 show the calibration absorbing
the load.
Usage: python benchmarks/busy_machine.py [--sandbox local|docker] [--task ID] [--hogs N] [--repeats N]
"""
import argparse
import multiprocessing
import statistics

from scaleblind.graders.grade import grade_file
from scaleblind.sandbox.registry import default_sandbox
from scaleblind.tasks.registry import get_task, solution_path

KEYS = ("scale_correct", "correct_at_demo", "highest_tier_passed", "failure", "failure_tier")


def hog() -> None:
    x = 0
    while True:
        x = (x * 31 + 7) % 1_000_003


def verdicts(spec, sandbox: str, repeats: int) -> dict[str, list[dict]]:
    out = {}
    for name in ("reference", "naive"):
        out[name] = [grade_file(spec, solution_path(spec, name), sandbox) for _ in range(repeats)]
    return out


def compute_ms(verdict: dict) -> float:
    return sum(t.get("compute_ms") or 0 for t in verdict["tiers"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sandbox", default=None)
    parser.add_argument("--task", default="filters/faceted_catalog")
    parser.add_argument("--hogs", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    sandbox = args.sandbox or default_sandbox()
    spec = get_task(args.task)
    idle = verdicts(spec, sandbox, args.repeats)
    hogs = [multiprocessing.Process(target=hog, daemon=True) for _ in range(args.hogs)]
    for process in hogs:
        process.start()
    try:
        busy = verdicts(spec, sandbox, args.repeats)
    finally:
        for process in hogs:
            process.terminate()
    same = True
    for name in idle:
        shapes = {(*(v[k] for k in KEYS), (v.get("efficiency") or {}).get("score")) for v in idle[name] + busy[name]}
        same &= len(shapes) == 1
        ratio = statistics.median(map(compute_ms, busy[name])) / max(1e-9, statistics.median(map(compute_ms, idle[name])))
        print(f"{spec.id} {name:<9} verdicts idle+busy: {sorted(shapes)}  compute busy/idle: {ratio:.2f}")
    print("verdicts identical idle and busy" if same else "VERDICTS DIFFER")
    raise SystemExit(0 if same else 1)


if __name__ == "__main__":
    main()
