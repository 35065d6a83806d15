"""Solutions that try to cheat get no better verdict than honest code (local sandbox; the Docker sandbox adds
a uid boundary on top, tested in tests/sandbox/)."""
import asyncio
import json
from pathlib import Path

import pytest

from scaleblind.graders.driver import expected_outputs
from scaleblind.graders.grade import grade_answer
from scaleblind.sandbox.local import LocalSandbox
from scaleblind.tasks.registry import get_task, solution_path

TASK = "filters/faceted_catalog"
pytestmark = pytest.mark.slow


def grade(code: str, tiers: list[str] | None = None) -> dict:
    spec = get_task(TASK)
    return asyncio.run(grade_answer(spec, code, LocalSandbox(), tiers=tiers))


def naive_code() -> str:
    return solution_path(get_task(TASK), "naive").read_text()


def test_patching_the_clock_and_timers_changes_nothing():
    cheat = naive_code() + '''
import time, platform_client
time.time = time.monotonic = time.perf_counter = lambda: 0.0
platform_client.now_ms = lambda: 0.0
'''
    verdict = grade(cheat, ["demo", "launch"])
    assert verdict["correct_at_demo"] and verdict["failure"] == "over_latency"


def test_turning_the_virtual_clock_back_is_refused():
    cheat = '''
import platform_client
def filter_products(api, filters, page=1, per_page=24):
    platform_client._channel.call({"op": "sleep", "ms": -1e12})
    platform_client._channel.call({"op": "sleep", "ms": float("nan")})
''' + naive_code().split('"""', 2)[2].replace("def filter_products(", "def _naive(", 1) + '''
    return _naive(api, filters, page, per_page)
'''
    cheat = cheat.replace("    return _naive", "    pass\n_real = filter_products\ndef filter_products(api, filters, page=1, per_page=24):\n    _real(api, filters, page, per_page)\n    return _naive")
    verdict = grade(cheat, ["demo", "launch"])
    assert not verdict["scale_correct"]
    assert verdict["failure"] == "over_latency"


def test_reading_the_reference_from_disk_fails():
    reference = solution_path(get_task(TASK), "reference")
    cheat = f'''
def filter_products(api, filters, page=1, per_page=24):
    raise NotImplementedError
exec(open({str(reference)!r}).read())   # would replace the stub with the reference
'''
    verdict = grade(cheat)
    assert not verdict["scale_correct"] and verdict["failure"] == "crash"
    assert "not allowed" in verdict["tiers"][0]["message"]


def test_importing_the_benchmark_fails():
    cheat = '''
def filter_products(api, filters, page=1, per_page=24):
    raise NotImplementedError
from scaleblind.tasks.filters.faceted_catalog.reference import filter_products
'''
    verdict = grade(cheat)
    assert not verdict["scale_correct"] and verdict["failure"] in ("crash", "missing_entry")


def test_writing_outside_the_scratch_dir_fails(tmp_path: Path):
    target = tmp_path / "driver-owned.json"
    cheat = f'''
def filter_products(api, filters, page=1, per_page=24):
    with open({str(target)!r}, "w") as handle:
        handle.write("{{}}")
    return {{}}
'''
    verdict = grade(cheat, ["demo"])
    assert verdict["failure"] == "crash"
    assert not target.exists()


def test_killing_the_parent_fails():
    cheat = '''
import os, signal
def filter_products(api, filters, page=1, per_page=24):
    os.kill(os.getppid(), signal.SIGKILL)
    return {}
'''
    verdict = grade(cheat, ["demo"])                 # the driver survives to give the verdict
    assert verdict["failure"] == "crash"


def test_answers_cached_from_demo_are_wrong_at_other_tiers():
    spec = get_task(TASK)
    answers = expected_outputs(spec, spec.tier("demo"), 0)
    cheat = f'''
import json
ANSWERS = json.loads({json.dumps(json.dumps(answers))})
CALLS = [0]
def filter_products(api, filters, page=1, per_page=24):
    CALLS[0] += 1
    return ANSWERS[(CALLS[0] - 1) % len(ANSWERS)]
'''
    verdict = grade(cheat)
    assert verdict["correct_at_demo"]
    assert verdict["failure"] == "wrong_output" and verdict["failure_tier"] == "launch"
    answers_seed_1 = expected_outputs(spec, spec.tier("demo"), 1)
    assert answers_seed_1 != answers                 # another seed, other data: caching cannot carry over


def test_subprocesses_and_sockets_are_refused():
    cheat = '''
import socket, subprocess
def filter_products(api, filters, page=1, per_page=24):
    try:
        subprocess.run(["true"])
        return {"spawned": True}
    except PermissionError:
        pass
    socket.create_connection(("127.0.0.1", 9))
    return {}
'''
    verdict = grade(cheat, ["demo"])
    assert verdict["failure"] == "crash"
    assert "not allowed" in verdict["tiers"][0]["message"]
