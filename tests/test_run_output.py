"""What `scaleblind run` prints where no one watches a terminal (CI, a pipe): a line per finished sample, the
summary table at the end, and no warning from any library.

The docker test runs enough samples at once (2 models x 6 tasks x 2 variants, all in flight together) that a
Docker client with docker-py's default pool of 10 connections made urllib3 warn "Connection pool is full" for
several samples (and once broke a running exec): it fails on any WARNING line.
"""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from inspect_ai.log import EvalError, EvalSample
from inspect_ai.scorer import Score

from scaleblind.run import OFFLINE_MODELS, progress_line, verdict_text

TASKS = ("filters/faceted_catalog,data_access/order_details,data_access/dashboard_tile,feeds/activity_feed,"
         "search/autocomplete,sync/webhook_batch")
WARNING = re.compile(r"\bWARNING\b|\w+Warning:")      # a library logger's, or Python's warnings module
PROGRESS = re.compile(r"^\[\s*(\d+)\s+\d+:\d\d\] (reference/\w+)\s+(\S+)\s+(vague|blueprint)\s+(.+?)\s+\d+\.\d s$")


def sample(verdict: dict | None, error: str | None = None, epoch: int = 1) -> EvalSample:
    scores = {"scale_correctness": Score(value={}, metadata={"verdict": verdict})} if verdict else None
    return EvalSample(id="fam/task:vague", epoch=epoch, input="prompt", target="", total_time=4.25, scores=scores,
                      metadata={"task_id": "fam/task", "variant": "vague", "temperature": 1.0},
                      error=EvalError(message=error, traceback="", traceback_ansi="") if error else None)


@pytest.mark.parametrize("verdict,error,expected", [
    ({"scale_correct": True, "correct_at_demo": True}, None, "scale-correct"),
    ({"scale_correct": False, "correct_at_demo": True, "failure": "over_memory", "failure_tier": "growth"}, None,
     "over_memory at growth (demo ok)"),
    ({"scale_correct": False, "correct_at_demo": False, "failure": "no_code", "failure_tier": None}, None, "no_code"),
    (None, "RuntimeError('driver\nfailed')", "error: RuntimeError('driver failed')"),
    (None, None, "not scored"),
])
def test_verdict_text(verdict, error, expected):
    assert verdict_text(sample(verdict, error)) == expected


def test_progress_line_names_model_task_variant_verdict_and_seconds():
    line = progress_line(7, 125.0, "reference/naive", sample({"scale_correct": True, "correct_at_demo": True}, epoch=2))
    assert re.fullmatch(r"\[   7   2:05\] reference/naive +fam/task +vague@t=1 #2 +scale-correct +4\.2 s", line)


@pytest.mark.docker
@pytest.mark.slow
def test_a_short_run_shows_progress_and_no_library_warning(tmp_path: Path):
    from scaleblind.sandbox.doctor import docker_available
    if not docker_available():
        pytest.skip("needs a Docker Engine")
    result = subprocess.run([str(Path(sys.executable).with_name("scaleblind")), "run", "--tasks", TASKS,
                             "--log-dir", str(tmp_path / "logs"), "--sandbox", "docker"],
                            capture_output=True, text=True, timeout=900)
    output = result.stdout + result.stderr
    warnings = [line for line in output.splitlines() if WARNING.search(line)]
    assert not warnings, "library warnings in the output:\n" + "\n".join(warnings[:10])
    assert "Traceback" not in output and result.returncode == 0, output[-3000:]
    lines = result.stdout.splitlines()
    assert lines[0].startswith("scaleblind run: 24 samples (2 model(s) x 12 task-variant(s) x 1 epoch(s))")
    progress = [m.groups() for m in map(PROGRESS.match, lines) if m]
    assert [int(p[0]) for p in progress] == list(range(1, 25)), result.stdout
    assert {(p[1], p[2], p[3]) for p in progress} == {(model, task, variant) for model in OFFLINE_MODELS
                                                      for task in TASKS.split(",") for variant in ("vague", "blueprint")}
    assert {p[4] for p in progress if p[1] == "reference/scalable"} == {"scale-correct"}
    assert all("(demo ok)" in p[4] for p in progress if p[1] == "reference/naive")
    summary = lines.index(next(line for line in lines if line.startswith("model ")))
    assert summary > lines.index(next(line for line in lines if PROGRESS.match(line)))
    assert re.match(r"reference/naive\s+blueprint\s+6\s+0%\s+100%\s+100%", lines[summary + 1])
    for command in ("report", "leaderboard"):             # the rest of `make run`
        result = subprocess.run([str(Path(sys.executable).with_name("scaleblind")), command, str(tmp_path / "logs"),
                                 "--out", str(tmp_path / "out")], capture_output=True, text=True, timeout=600)
        output = result.stdout + result.stderr
        assert result.returncode == 0 and not WARNING.search(output), output

