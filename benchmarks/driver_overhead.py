"""Grading time of every task's reference: this checkout's driver against another revision's.

Issue 11's target: the hardened driver (never-blocking I/O, message checks, a memory cgroup per solution, scratch
reset as the solution uid) may make grading a reference at most 20% slower. The two drivers run alternately,
task by task and repetition by repetition, so load from other work on a shared machine falls on both alike.
Each driver runs on the host (as `--sandbox local` does) from a copy of its revision's runtime folders.

Prints per task the median wall time of both and their ratio, then the ratio of the summed medians.
Usage: python benchmarks/driver_overhead.py --base REV [--reps 3] [--task ID ...] [--cgroup]
`--cgroup` (root, cgroup v1 or v2 memory controller) gives the new driver a memory cgroup of its own, as the
Docker sandbox does; without it the new driver measures memory with its fallback meter.
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

from scaleblind.tasks.registry import all_tasks, get_task, solution_path

REPO = Path(__file__).resolve().parents[1]
RUNTIME_FOLDERS = ("platforms", "tasks", "graders")
CGROUP_ROOTS = (Path("/sys/fs/cgroup/memory"), Path("/sys/fs/cgroup"))


def stage(source_root: Path, dest: Path) -> Path:
    """dest/scaleblind/{platforms,tasks,graders}: importable as the package the driver runs in."""
    package = dest / "scaleblind"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("")
    for folder in RUNTIME_FOLDERS:
        shutil.copytree(source_root / folder, package / folder,
                        ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    return dest


def stage_revision(revision: str, dest: Path) -> Path:
    source = dest / "source"
    source.mkdir(parents=True)
    archive = subprocess.run(["git", "-C", str(REPO), "archive", revision, *RUNTIME_FOLDERS],
                             check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(source)], input=archive, check=True)
    return stage(source, dest / "runtime")


def make_cgroup() -> Path:
    """A memory cgroup for the run (removed at exit by `remove_cgroup`)."""
    for root in CGROUP_ROOTS:
        if (root / "memory.limit_in_bytes").exists() or (root / "cgroup.subtree_control").exists():
            path = root / f"scaleblind-bench-{uuid.uuid4().hex[:8]}"
            path.mkdir()
            return path
    raise SystemExit("no writable memory cgroup hierarchy found")


def remove_cgroup(path: Path) -> None:
    for child in sorted(path.iterdir()):
        if child.is_dir():
            child.rmdir()
    path.rmdir()


def grade_seconds(runtime: Path, task_id: str, env: dict[str, str]) -> float:
    """Wall time of one driver run over every tier of the task's reference; fails loudly if it does not pass."""
    spec = get_task(task_id)
    job = {"task": task_id, "code": solution_path(spec, "reference").read_text(), "tiers": None, "seed": 0,
           "stop_on_fail": True}
    started = time.perf_counter()
    out = subprocess.run([sys.executable, "-m", "scaleblind.graders.driver"], input=json.dumps(job), text=True,
                         capture_output=True, cwd=str(runtime), env={**env, "PYTHONPATH": str(runtime)})
    seconds = time.perf_counter() - started
    result = json.loads(out.stdout.strip().splitlines()[-1])
    failures = [t.get("failure") or t.get("error") for t in result.get("tiers", [])]
    if "tiers" not in result or any(failures):
        raise SystemExit(f"{runtime}: {task_id}: the reference did not pass: {result}")
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--base", required=True, help="git revision to compare against (e.g. the branch point)")
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--task", action="append", help="task id (repeatable; default: every task)")
    parser.add_argument("--cgroup", action="store_true", help="give the new driver a memory cgroup")
    args = parser.parse_args()
    task_ids = args.task or list(all_tasks())
    env = {k: v for k, v in os.environ.items() if k != "SCALEBLIND_SOLUTION_UID"}
    with tempfile.TemporaryDirectory(prefix="sb-bench-") as tmp:
        drivers = {"base": (stage_revision(args.base, Path(tmp) / "base"), env),
                   "new": (stage(REPO, Path(tmp) / "new"), dict(env))}
        cgroup = make_cgroup() if args.cgroup else None
        if cgroup:
            drivers["new"][1]["SCALEBLIND_MEMORY_CGROUP"] = str(cgroup)
        try:
            times = {name: {t: [] for t in task_ids} for name in drivers}
            for rep in range(args.reps):
                for task_id in task_ids:
                    for name, (runtime, run_env) in (drivers.items() if rep % 2 == 0 else
                                                     reversed(list(drivers.items()))):
                        times[name][task_id].append(grade_seconds(runtime, task_id, run_env))
        finally:
            if cgroup:
                remove_cgroup(cgroup)
    print(f"base {args.base}, {args.reps} repetitions, memory meter of the new driver: "
          f"{'cgroup' if args.cgroup else 'fallback'}")
    print(f"{'task':<34} {'base s':>8} {'new s':>8} {'ratio':>6}")
    totals = {"base": 0.0, "new": 0.0}
    for task_id in task_ids:
        medians = {name: statistics.median(times[name][task_id]) for name in drivers}
        for name in totals:
            totals[name] += medians[name]
        print(f"{task_id:<34} {medians['base']:>8.2f} {medians['new']:>8.2f} {medians['new'] / medians['base']:>6.2f}")
    print(f"{'all tasks':<34} {totals['base']:>8.2f} {totals['new']:>8.2f} {totals['new'] / totals['base']:>6.2f}"
          "  (target: at most 1.20)")


if __name__ == "__main__":
    main()
