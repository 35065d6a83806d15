"""A fault in the benchmark is never the model's failure (issue 9, item 2; issue 11, findings 7 and 14).

An exception in our own code (a platform handler given a valid call, the driver, the sandbox) ends the sample
as a HarnessError that says it is ours; the same exception raised by the solution is its `crash`. In a real
run, a harness error leaves every other sample scored, and an answer that attacks the driver gets a verdict.
"""
from __future__ import annotations

import asyncio
import io
import json
from pathlib import Path

import pytest

from scaleblind.graders import driver
from scaleblind.graders.errors import HarnessError
from scaleblind.graders.grade import grade_answer, run_driver
from scaleblind.models.reference import reference_answer
from scaleblind.sandbox.local import ExecResult, LocalSandbox
from scaleblind.tasks.registry import WORLD_MODULE, get_task, solution_path, task_module

TASK = "filters/faceted_catalog"
OURS = "a fault in scaleblind, not in the solution"


@pytest.fixture
def buggy_endpoint(monkeypatch):
    """Inject a fault into the harness: the catalog's list_products raises on every (valid) call."""
    world = task_module(get_task(TASK), WORLD_MODULE)
    original = world.endpoints

    def endpoints(catalog):
        def list_products(page: int = 1, per_page: int = 50) -> dict:
            raise KeyError("a bug in our handler")
        return {**original(catalog), "list_products": list_products}

    monkeypatch.setattr(world, "endpoints", endpoints)


def job(code: str) -> dict:
    return {"task": TASK, "code": code, "tiers": ["demo"], "seed": 0, "stop_on_fail": True}


def run_main(job_: dict, monkeypatch) -> dict:
    """The driver's own entry point, in this process (so the injected fault reaches it)."""
    out = io.StringIO()
    monkeypatch.setattr("sys.stdin", io.StringIO(json.dumps(job_)))
    monkeypatch.setattr("sys.stdout", out)
    driver.main()
    return json.loads(out.getvalue())


@pytest.mark.slow
def test_a_fault_in_our_handler_is_ours_and_the_same_exception_in_the_solution_is_its_crash(buggy_endpoint,
                                                                                           monkeypatch):
    naive = solution_path(get_task(TASK), "naive").read_text()   # calls list_products correctly
    result = run_main(job(naive), monkeypatch)
    assert set(result) == {"harness_error"}
    assert result["harness_error"].startswith("the api platform failed on a valid call to 'list_products'")
    assert "KeyError" in result["harness_error"] and "in list_products" in result["harness_error"]
    assert result["harness_error"].endswith(f"({OURS})")

    own_bug = 'def filter_products(api, filters, page=1, per_page=24):\n    raise KeyError("a bug of its own")\n'
    tier = run_main(job(own_bug), monkeypatch)["tiers"][0]
    assert tier["failure"] == "crash" and "KeyError: 'a bug of its own'" in tier["message"]


class ScriptedSandbox:
    """An exec that fails as a sandbox can: the driver's harness error, a timeout, a lost container."""

    def __init__(self, outcome):
        self.outcome = outcome

    async def exec(self, cmd, input=None, timeout=None, **_):
        if isinstance(self.outcome, BaseException):
            raise self.outcome
        return ExecResult(True, 0, self.outcome, "")


@pytest.mark.parametrize(("outcome", "says"), [
    (json.dumps({"harness_error": f"the driver broke ({OURS})"}) + "\n", "the driver broke"),
    (TimeoutError("sandbox command timed out after 240s"), "did not finish within"),
    (RuntimeError("container is gone"), "the sandbox failed to run the driver"),
    ("", "printed nothing"),
    ("Traceback (most recent call last):\n", "printed no result"),
])
def test_every_way_the_driver_can_fail_to_answer_is_a_harness_error(outcome, says):
    with pytest.raises(HarnessError, match=says) as err:
        asyncio.run(run_driver(ScriptedSandbox(outcome), {}, 10))
    assert str(err.value).endswith(f"({OURS})")


def test_scaleblind_grade_prints_one_line_on_a_harness_error(tmp_path: Path, capsys, monkeypatch):
    from scaleblind.cli import main
    solution = tmp_path / "solution.py"
    solution.write_text(reference_answer(TASK, "reference"))

    async def times_out(self, cmd, **_):
        raise TimeoutError("command timed out after 240 s")

    monkeypatch.setattr(LocalSandbox, "exec", times_out)
    code = main(["grade", "--task", TASK, "--solution", str(solution), "--sandbox", "local"])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 1
    assert err[-1].startswith("scaleblind: error: HarnessError: the driver did not finish within")
    assert OURS in err[-1] and not any("Traceback" in line for line in err)


def record(task: str, variant: str, epoch: int, answer: str) -> str:
    return json.dumps({"task_id": task, "variant": variant, "epoch": epoch, "answer": answer}) + "\n"


def hostile_answer(name: str) -> str:
    code = (Path(__file__).with_name("hostile") / f"{name}.py").read_text()
    return f"Here is the module.\n\n```python\n{code}\n```\n"


@pytest.mark.slow
def test_in_a_run_an_answer_that_attacks_the_driver_gets_a_verdict_and_every_other_sample_is_scored(tmp_path):
    """Before: one such answer made inspect interrupt the whole task (three times), so no sample was scored."""
    from inspect_ai.log import read_eval_log

    from scaleblind.run import RunOptions, run
    recordings = tmp_path / "answers"
    recordings.mkdir()
    honest = reference_answer(TASK, "reference")
    lines = [record(TASK, "vague", 1, hostile_answer("deep_nesting_raw")),
             record(TASK, "vague", 2, hostile_answer("unhashable_client")),
             record(TASK, "blueprint", 1, honest), record(TASK, "blueprint", 2, honest)]
    (recordings / "answers.jsonl").write_text("".join(lines))
    options = RunOptions(models=[f"replay/{recordings}"], tasks=[TASK], variants=["vague", "blueprint"], epochs=2,
                         sandbox="local", log_dir=tmp_path / "logs", seed=0, display="none")
    finished, logs = run(options)
    assert finished
    samples = read_eval_log(logs[0].location).samples
    scores = {(s.id, s.epoch): s.scores["scale_correctness"] for s in samples if s.scores}
    assert len(scores) == 4 and not any(s.error for s in samples)
    for epoch in (1, 2):
        assert scores[(f"{TASK}:blueprint", epoch)].value["scale_correct"] == 1
        assert scores[(f"{TASK}:vague", epoch)].metadata["verdict"]["failure"] == "crash"


@pytest.mark.slow
def test_in_a_run_a_harness_error_is_retried_left_unscored_and_the_other_samples_are_scored(tmp_path, monkeypatch):
    from inspect_ai.log import read_eval_log

    from scaleblind.graders import grade
    from scaleblind.run import SAMPLE_RETRIES, RunOptions, run
    recordings = tmp_path / "answers"
    recordings.mkdir()
    honest = solution_path(get_task(TASK), "reference").read_text()
    marked = f"```python\n{honest}\n# HARNESS-FAULT-MARKER\n```\n"
    lines = [record(TASK, "vague", 1, marked), record(TASK, "blueprint", 1, f"```python\n{honest}\n```\n")]
    (recordings / "answers.jsonl").write_text("".join(lines))
    real_run_driver, faulted = grade.run_driver, []

    async def faulty_run_driver(env, job_, timeout):
        if "HARNESS-FAULT-MARKER" in job_["code"]:
            faulted.append(1)
            raise HarnessError("an injected fault")
        return await real_run_driver(env, job_, timeout)

    monkeypatch.setattr(grade, "run_driver", faulty_run_driver)
    monkeypatch.setattr("scaleblind.run.RETRY_ATTEMPTS", 0)   # the eval set's own retries: not needed here
    options = RunOptions(models=[f"replay/{recordings}"], tasks=[TASK], variants=["vague", "blueprint"], epochs=1,
                         sandbox="local", log_dir=tmp_path / "logs", seed=0, display="none")
    finished, logs = run(options)
    assert not finished                                      # a rerun of the command retries the errored sample
    samples = {s.id: s for s in read_eval_log(logs[0].location).samples}
    errored, honest_sample = samples[f"{TASK}:vague"], samples[f"{TASK}:blueprint"]
    assert errored.error is not None and OURS in errored.error.message and not errored.scores
    assert len(faulted) == 1 + SAMPLE_RETRIES
    assert honest_sample.scores["scale_correctness"].value["scale_correct"] == 1
