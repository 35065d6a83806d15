"""End to end through inspect with the host sandbox: the offline reference models calibrate the pipeline."""
import json
import os
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest
from conftest import TASK_ID, sample_scores
from inspect_ai.log import read_eval_log

from scaleblind.models.reference import reference_answer
from scaleblind.run import run, summary_rows

INSPECT = str(Path(sys.executable).with_name("inspect"))


def test_scalable_is_always_scale_correct_and_naive_never(options):
    finished, logs = run(options(models=["reference/scalable", "reference/naive"]))
    assert finished
    scores = sample_scores(logs)
    assert scores[("reference/scalable", f"{TASK_ID}:vague", 1)] == {"scale_correct": 1, "correct_at_demo": 1,
                                                                       "scale_blind": 0, "efficiency": 1.0}
    naive = scores[("reference/naive", f"{TASK_ID}:vague", 1)]
    assert naive == {"scale_correct": 0, "correct_at_demo": 1, "scale_blind": 1, "efficiency": naive["efficiency"]}
    assert 0 < naive["efficiency"] < 1 / 7         # over the reference's cost at demo, then failed at launch
    log = read_eval_log(logs[0].location)
    score = log.samples[0].scores["scale_correctness"]
    assert score.metadata["verdict"]["tiers"] and "```python" in score.explanation and score.answer
    assert "efficiency" in score.explanation and score.metadata["verdict"]["efficiency"]["definition"] == "1"
    rows = {r["model"]: r for r in summary_rows(logs)}
    assert rows["reference/naive"]["correct_at_demo"] == 1.0 and rows["reference/naive"]["scale_blind"] == 1.0
    assert rows["reference/scalable"]["efficiency"] == 1.0


def recorded_seeds(logs) -> dict[str, int]:
    """sample id -> the seed its score records; the verdict and the sample's metadata must say the same."""
    seeds = {}
    for header in logs:
        for sample in read_eval_log(header.location).samples:
            score = sample.scores["scale_correctness"]
            assert score.metadata["seed"] == score.metadata["verdict"]["seed"] == sample.metadata["seed"]
            seeds[str(sample.id)] = score.metadata["seed"]
    return seeds


def test_every_run_draws_fresh_seeds_and_records_them(options, tmp_path):
    first = recorded_seeds(run(options(models=["reference/naive"], tiers=["demo"]))[1])
    second = recorded_seeds(run(options(models=["reference/naive"], tiers=["demo"], log_dir=tmp_path / "again"))[1])
    assert first.keys() == second.keys() and all(first[k] != second[k] for k in first)
    fixed = run(options(models=["reference/naive"], tiers=["demo"], log_dir=tmp_path / "fixed", seed=7))[1]
    assert set(recorded_seeds(fixed).values()) == {7}
    assert read_eval_log(fixed[0].location).eval.metadata["seeds"] == "fixed"


@pytest.mark.slow
def test_every_variant_scores_the_same_for_the_reference_models(options):
    variants = ["blueprint", "design_then_implement", "vague@t=1.0"]
    finished, logs = run(options(models=["reference/scalable"], variants=variants))
    assert finished
    assert all(v["scale_correct"] == 1 for v in sample_scores(logs).values())
    log = read_eval_log(logs[0].location)
    by_id = {s.id: s for s in log.samples}
    two_turn = by_id[f"{TASK_ID}:design_then_implement"]
    assert [m.role for m in two_turn.messages] == ["user", "assistant", "user", "assistant"]
    hot = by_id[f"{TASK_ID}:vague@t=1"]
    configs = [e.config for e in hot.events if e.event == "model"]
    assert configs and all(c.temperature == 1.0 for c in configs)


@pytest.mark.slow
def test_inspect_eval_gives_the_same_scores_as_scaleblind_run(options, tmp_path):
    _, logs = run(options(models=["reference/naive"], seed=3))   # one seed for both: the same worlds
    ours = sample_scores(logs)
    out = tmp_path / "inspect-logs"
    subprocess.run([INSPECT, "eval", "scaleblind/scaleblind", "--model", "reference/naive", "-T", f"tasks={TASK_ID}",
                    "-T", "variants=vague", "-T", "sandbox=local", "-T", "seed=3", "--log-dir", str(out),
                    "--display", "none"],
                   check=True, capture_output=True, text=True)
    theirs = {}
    for path in out.glob("*.eval"):
        log = read_eval_log(str(path))
        theirs.update({(log.eval.model, str(s.id), s.epoch): s.scores["scale_correctness"].value for s in log.samples})
    assert theirs == ours


@pytest.mark.slow
def test_a_partial_run_resumes_without_regrading_finished_samples(options, tmp_path):
    """The replay model lacks one answer: the run stops part way; with the answer added, a rerun only grades it."""
    recordings = tmp_path / "recorded"
    recordings.mkdir()
    line = {"task_id": TASK_ID, "variant": "vague", "epoch": 1, "answer": reference_answer(TASK_ID, "reference")}
    (recordings / "a.jsonl").write_text(json.dumps(line) + "\n")
    opts = options(models=[f"replay/{recordings}"], variants=["vague", "blueprint"], max_samples=1)
    finished, logs = run(opts)
    assert not finished
    first = read_eval_log(logs[0].location)
    done = {s.id: s.scores["scale_correctness"].metadata["verdict"] for s in first.samples if s.scores}
    assert list(done) == [f"{TASK_ID}:vague"]

    (recordings / "b.jsonl").write_text(json.dumps({**line, "variant": "blueprint"}) + "\n")
    finished, logs = run(opts)
    assert finished
    resumed = read_eval_log(logs[0].location)
    verdicts = {s.id: s.scores["scale_correctness"].metadata["verdict"] for s in resumed.samples}
    assert set(verdicts) == {f"{TASK_ID}:vague", f"{TASK_ID}:blueprint"}
    # measured calibration timings differ run to run: equal means the finished sample was reused, not regraded
    assert verdicts[f"{TASK_ID}:vague"]["calibration"] == done[f"{TASK_ID}:vague"]["calibration"]


class ChatCompletions(BaseHTTPRequestHandler):
    """A tiny OpenAI-compatible server that answers every chat completion with one recorded answer."""

    answer = ""

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        reply = {"id": "chatcmpl-1", "object": "chat.completion", "created": 0, "model": body["model"],
                 "choices": [{"index": 0, "finish_reason": "stop",
                              "message": {"role": "assistant", "content": self.answer}}],
                 "usage": {"prompt_tokens": 100, "completion_tokens": 100, "total_tokens": 200}}
        data = json.dumps(reply).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args) -> None:
        pass


@pytest.mark.slow
def test_a_real_provider_works_unchanged_against_a_local_server(options, monkeypatch):
    ChatCompletions.answer = reference_answer(TASK_ID, "reference")
    server = HTTPServer(("127.0.0.1", 0), ChatCompletions)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        monkeypatch.setenv("LOCAL_BASE_URL", f"http://127.0.0.1:{server.server_port}/v1")
        monkeypatch.setenv("LOCAL_API_KEY", "not-a-secret")
        finished, logs = run(options(models=["openai-api/local/recorded"]))
    finally:
        server.shutdown()
    assert finished
    assert list(sample_scores(logs).values()) == [{"scale_correct": 1, "correct_at_demo": 1, "scale_blind": 0,
                                                   "efficiency": 1.0}]


def test_a_missing_api_key_is_one_clear_line(options, monkeypatch):
    from scaleblind.run import RunError
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    with pytest.raises(RunError, match="missing API key.*OPENAI_API_KEY") as err:
        run(options(models=["openai/gpt-4o-mini"]))
    assert "\n" not in str(err.value)


def test_an_answer_without_code_leaves_scale_blindness_undefined(options, tmp_path):
    """Wrong at demo (here: no code at all) is neither blind nor not blind; the rates must not count it as 0."""
    import math
    recordings = tmp_path / "recorded"
    recordings.mkdir()
    line = {"task_id": TASK_ID, "variant": "vague", "epoch": 1, "answer": "I would use a loop over the catalog."}
    (recordings / "a.jsonl").write_text(json.dumps(line) + "\n")
    finished, logs = run(options(models=[f"replay/{recordings}"]))
    assert finished
    assert list(sample_scores(logs).values()) == [{"scale_correct": 0, "correct_at_demo": 0, "scale_blind": None,
                                                   "efficiency": 0.0}]          # no tier delivered
    # inspect prefixes the metric name with the package ("scaleblind/rate") only when run from outside the checkout
    results = {s.name: next(m.value for name, m in s.metrics.items() if name.split("/")[-1] == "rate")
               for s in read_eval_log(logs[0].location).results.scores}
    assert results["scale_correct"] == 0 and math.isnan(results["scale_blind"]) and results["efficiency"] == 0
