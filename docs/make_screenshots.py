"""Make the leaderboard screenshots in docs/ from real logs, as a user would get them.

    python docs/make_screenshots.py [--sandbox docker|local] [--work DIR]

Runs `scaleblind run` on every task with the two offline models and a replay model whose recorded answers are
mixed on purpose (textbook code under the vague prompt, the scalable solution under the blueprint one, and here
and there a wrong answer, a crash, prose with no code, a syntax error, a missing function), so the page shows
failures of several kinds and a blueprint lift. Then `scaleblind leaderboard`, and headless Chromium at a
desktop and a phone width. Takes a few minutes (about a hundred samples graded in the sandbox).
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "results"))

from headless import Browser  # noqa: E402  (the tests' DevTools client, also used as a script)

from scaleblind.models.reference import reference_answer  # noqa: E402
from scaleblind.run import RunOptions, run  # noqa: E402
from scaleblind.tasks.registry import all_tasks  # noqa: E402

DOCS = ROOT / "docs"
REPLAY_NAME = "mixed-answers"
DESKTOP, PHONE = (1280, 900), (390, 844)
MAX_SAMPLES = 4


def broken_answer(kind: str, entry: str) -> str:
    """An answer that fails in one known way, whatever the task."""
    return {
        "wrong_output": f"Here it is.\n\n```python\ndef {entry}(*args, **kwargs):\n    return None\n```\n",
        "crash": f"Here it is.\n\n```python\ndef {entry}(*args, **kwargs):\n    raise RuntimeError('not done yet')\n```\n",
        "no_code": "I would page through the results, cache them and add an index on the filtered columns.",
        "syntax_error": f"```python\ndef {entry}(*args, **kwargs)\n    return []\n```\n",
        "missing_entry": "```python\ndef helper(rows):\n    return sorted(rows)\n```\n",
    }[kind]


def mixed_answers(task_id: str, entry: str, index: int, variant: str) -> str:
    """Mostly textbook under vague and scalable under blueprint; every few tasks, another kind of failure."""
    vague_breaks = {1: "wrong_output", 4: "crash", 7: "no_code", 10: "syntax_error", 13: "missing_entry"}
    blueprint_breaks = {3: "naive", 8: "wrong_output", 11: "naive"}
    kind = (vague_breaks if variant == "vague" else blueprint_breaks).get(index)
    if kind is None:
        kind = "naive" if variant == "vague" else "reference"
    if kind in ("naive", "reference"):
        return reference_answer(task_id, kind)
    return broken_answer(kind, entry)


def write_replay(folder: Path) -> Path:
    """Recordings for `replay/<folder>`: one JSONL line per task x variant."""
    folder.mkdir(parents=True, exist_ok=True)
    lines = [json.dumps({"task_id": spec.id, "variant": variant, "epoch": 1,
                         "answer": mixed_answers(spec.id, spec.entry, i, variant)})
             for i, spec in enumerate(all_tasks().values()) for variant in ("vague", "blueprint")]
    (folder / "answers.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def scaleblind(*args: str) -> None:
    subprocess.run([str(Path(sys.executable).with_name("scaleblind")), *args], check=True)


def evaluate(models: list[str], sandbox: str, log_dir: Path) -> None:
    """`scaleblind run` for every task, vague and blueprint, a few samples per model at a time (a small
    machine shared with others grades slower, and a sample past its time limit would fail the run)."""
    finished, _ = run(RunOptions(models=models, tasks=None, variants=["vague", "blueprint"], epochs=1,
                                 sandbox=sandbox, log_dir=log_dir, seed=0, max_samples=MAX_SAMPLES))
    if not finished:
        raise SystemExit(f"the run did not finish: run this script again with --work {log_dir.parent} to resume")


def shoot(page: Path, size: tuple[int, int], out: Path, mobile: bool = False, script: str = "",
          region: tuple[str, str] | None = None) -> None:
    """Screenshot of the whole page, or from the top of one element to the bottom of another, after `script`."""
    with Browser(*size, mobile=mobile) as browser:
        browser.open(page)
        if script:
            browser.eval(script)
        if region:
            box = browser.eval(f"(() => {{ const a = document.querySelector({region[0]!r}).getBoundingClientRect(),"
                               f" b = document.querySelector({region[1]!r}).getBoundingClientRect();"
                               " return [0, a.top + scrollY - 8, document.documentElement.clientWidth,"
                               " b.bottom - a.top + 16]; })()")
            browser.screenshot(out, clip=dict(zip(("x", "y", "width", "height"), box)))
        else:
            browser.screenshot(out)
    print(f"wrote {out.relative_to(ROOT)}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sandbox", choices=["docker", "local"], default="docker")
    parser.add_argument("--work", type=Path, help="where logs and the page go (default: a temporary folder)")
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="scaleblind-screenshots-"))
    replay = write_replay(work / REPLAY_NAME)
    evaluate(["reference/scalable", "reference/naive", f"replay/{replay}"], args.sandbox, work / "logs")
    scaleblind("leaderboard", str(work / "logs"), "--out", str(work / "out"))
    screenshots(work / "out" / "index.html")
    print(f"logs and page: {work}")
    return 0


def screenshots(page: Path) -> None:
    """The whole page at a desktop width, one failing answer opened, and the top of the page on a phone."""
    shoot(page, DESKTOP, DOCS / "leaderboard.png")
    failing = ("(() => { const d = window.scaleblindPage.data; const i = d.samples.findIndex(s => s.model_label"
               f" === 'replay/{REPLAY_NAME}' && s.outcome === 'over_latency'); window.scaleblindPage.openSample(i);"
               " })()")
    shoot(page, DESKTOP, DOCS / "leaderboard-drilldown.png", script=failing, region=("#sample", "#sample"))
    shoot(page, PHONE, DOCS / "leaderboard-phone.png", mobile=True, region=("#ranking", "#failures"))


if __name__ == "__main__":
    sys.exit(main())
