"""The driver's deadlines hold whatever the solution does (findings 8 and 9), and its input checks are generic.

The stalling attacks run one tier in this process with a short wall timeout (the solution is still its own
process behind real pipes), so a `timeout` verdict takes seconds, not the task's minute.
"""
from __future__ import annotations

from pathlib import Path

import pytest
from driver_support import HOSTILE, short_timeout

from scaleblind.graders import messages
from scaleblind.graders.driver import TierRun, argument_problem, fits, serve
from scaleblind.graders.errors import HarnessError
from scaleblind.graders.process import SolutionProcess
from scaleblind.tasks.registry import get_task

WALL_S = 4.0


def run_tier(task: str, hostile: str, tmp_path: Path) -> dict:
    spec = get_task(task)
    root = tmp_path / "scratch"
    root.mkdir()
    code = (HOSTILE / f"{hostile}.py").read_text()
    return TierRun(spec, short_timeout(spec, "demo", WALL_S), 0, code, 1.0, root).run()


@pytest.mark.parametrize(("hostile", "failures"), [
    ("stall_while_frozen", ("timeout",)), ("slow_trickle", ("timeout",)),
    ("heavy_queries", ("timeout", "over_latency")),
])
def test_a_solution_that_stalls_the_driver_meets_the_deadlines(hostile: str, failures, tmp_path: Path, monkeypatch):
    monkeypatch.delenv("SCALEBLIND_MEMORY_CGROUP", raising=False)
    record = run_tier("reporting/top_products", hostile, tmp_path)
    assert record["error"] in failures and record["failure"] == record["error"]
    assert record["wall_s"] < WALL_S + 5                # the wall timeout held, even within a platform call
    assert list((tmp_path / "scratch").iterdir()) == []  # its scratch dir and log are gone


class FakeProcess(SolutionProcess):
    """Reads from a pipe we write into, to check the reader without a solution."""

    def __init__(self, read_fd: int):
        from collections import deque
        self._from_child, self._partial, self._partial_bytes, self._lines = read_fd, [], 0, deque()


def test_reading_finds_every_message_once_across_chunk_borders():
    import os
    read_fd, write_fd = os.pipe()
    reader = FakeProcess(read_fd)
    os.write(write_fd, b'{"op":"now"}\n{"op":"sle')
    assert reader.poll_message(0.1) == {"op": "now"}
    assert reader.poll_message(0.05) is None            # half a message: nothing yet
    os.write(write_fd, b'ep","ms":1}\n[1]\n')
    assert reader.poll_message(0.1) == {"op": "sleep", "ms": 1}
    assert reader.poll_message(0.1) == "a message is not a JSON object"
    os.close(write_fd)
    assert reader.poll_message(0.1) == "the solution process exited"
    os.close(read_fd)


@pytest.mark.parametrize(("message", "problem"), [
    ({"op": "call", "client": ["api"]}, "'client' must be a string"),
    ({"op": "call", "client": "api", "kwargs": []}, "'kwargs' must be an object"),
    ({"op": "call", "client": "db", "params": [2 ** 70]}, "64-bit"),
    ({"op": "call", "client": "db", "params": [[1]]}, "only strings, numbers"),
    ({"op": "sleep", "ms": True}, "'ms' must be"),
    ({"op": "result", "value": {"k\ud800": 1}}, "unpaired surrogate"),
    ({"op": "result", "value": [[[[[[[[[[]]]]]]]]]]}, None),
    ({"op": 1}, "'op' must be a string"),
])
def test_message_checks(message: dict, problem: str | None):
    found = messages.problem(message)
    assert (found is None) if problem is None else (problem in found)


def test_depth_is_bounded_without_recursion():
    deep: list = []
    for _ in range(100_000):
        deep = [deep]
    assert "nested deeper" in messages.problem({"op": "result", "value": deep})


class Endpoints:
    kind = "api"

    def __init__(self, handler):
        self.endpoints = {"list": handler}

    def handle(self, message):
        return self.endpoints[message["method"]](**message.get("kwargs", {}))


def test_a_handler_error_on_a_bad_argument_is_a_400_and_on_a_valid_call_is_ours():
    def list_items(page: int = 1, query: str | None = None) -> dict:
        if page == 7:
            raise KeyError("a bug of ours")
        return {"items": [int(page)]}

    class World:
        platforms = {"api": Endpoints(list_items)}

    call = {"op": "call", "client": "api", "method": "list"}
    assert serve(World, {**call, "kwargs": {"page": 2}}) == {"ok": {"items": [2]}}
    bad = serve(World, {**call, "kwargs": {"page": "two"}})["error"]
    assert bad["type"] == "BadRequest" and "page must be int" in bad["message"]
    assert "unexpected keyword" in serve(World, {**call, "kwargs": {"pages": 2}})["error"]["message"]
    with pytest.raises(HarnessError, match="a fault in scaleblind"):
        serve(World, {**call, "kwargs": {"page": 7}})


@pytest.mark.parametrize(("value", "annotation", "expected"), [
    (1, int, True), ("1", int, False), (1, float, True), (True, float, False), (None, str | None, True),
    ([1], list[int], True), ({"a": 1}, dict, True), ("x", "unknown", True), (1.5, int | None, False),
])
def test_fits(value, annotation, expected):
    assert fits(value, annotation) is expected


def test_argument_problem_knows_nothing_of_undeclared_platforms():
    assert argument_problem(object(), {"method": "execute"}) is None
