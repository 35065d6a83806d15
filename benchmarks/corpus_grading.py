"""Time to grade a recorded answer folder (default: every folder under corpus/) and to validate the hard split.

    python benchmarks/corpus_grading.py [--sandbox docker] [--workers 2] [--json OUT] [--no-validate] [FOLDER ...]

Prints one line per answer (task, variant, epoch, verdict, seconds), then the totals: answers per minute,
harness errors, stale answers, and how long `tasks validate --split hard` took in the same sandbox.
"""
import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path

from scaleblind.graders.corpus import as_rows, grade_recorded
from scaleblind.graders.validate import validate
from scaleblind.tasks.registry import tasks_in_split

CORPUS = Path(__file__).resolve().parents[1] / "corpus"


def line(g) -> str:
    verdict = ("scale-correct" if g.scale_correct else f"{g.failure}@{g.failure_tier}") if not g.harness_error \
        else f"HARNESS ERROR {g.harness_error[:80]}"
    return f"{g.task_id:32} {g.variant:10} {g.epoch}  {'STALE' if g.stale else verdict:40} {g.seconds:6.1f} s"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("folders", nargs="*", type=Path)
    parser.add_argument("--sandbox", default="docker")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--json", type=Path)
    parser.add_argument("--no-validate", action="store_true")
    args = parser.parse_args()
    folders = args.folders or sorted(p.parent for p in CORPUS.glob("*/answers.jsonl"))
    rows = []
    for folder in folders:
        start = time.monotonic()
        graded = grade_recorded(folder, args.sandbox, workers=args.workers, progress=lambda g: print(line(g), flush=True))
        took = time.monotonic() - start
        counts = Counter("harness error" if g.harness_error else "stale" if g.stale else
                         "scale-correct" if g.scale_correct else "not scale-correct" for g in graded)
        print(f"{folder}: {len(graded)} answers in {took:.0f} s ({len(graded) / took * 60:.1f} per minute, "
              f"{args.workers} workers): {dict(counts)}")
        rows += [{**row, "folder": str(folder)} for row in as_rows(graded)]
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1))
    if not args.no_validate:
        start = time.monotonic()
        results = validate(tasks_in_split("hard"), args.sandbox)
        print(f"tasks validate --split hard: {len(results)} tasks in {time.monotonic() - start:.0f} s, "
              f"{sum(r['ok'] for r in results)} ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
