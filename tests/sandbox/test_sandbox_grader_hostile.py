"""Hostile solutions graded end to end through the grader in the Docker sandbox: each gets a failing verdict,
the driver survives to give it, the host is unharmed (conftest) and no container is left behind."""
import asyncio

import pytest

from scaleblind.graders.grade import grade_answer
from scaleblind.tasks.registry import get_task, solution_path
from sandbox_helpers import sandbox_containers

pytestmark = [pytest.mark.docker, pytest.mark.slow]
SPEC = get_task("filters/faceted_catalog")
HEADER = "import os, sys, socket, subprocess, signal\n\ndef filter_products(api, filters, page=1, per_page=24):\n"
HOSTILE = {
    "fork bomb": "    while True:\n        os.fork()\n",
    "memory bomb": "    blocks = []\n    while True:\n        blocks.append(bytearray(64 * 1024 * 1024))\n",
    "infinite loop": "    while True:\n        pass\n",
    "1 GB of output": "    chunk = 'x' * (1 << 20)\n    for _ in range(1024):\n        sys.stdout.write(chunk)\n",
    "network connection": "    socket.create_connection(('1.1.1.1', 80), timeout=2)\n    return {}\n",
    "write outside scratch": "    open('/opt/owned', 'w').write('x')\n    return {}\n",
    "read the reference": "    return open('/opt/scaleblind/scaleblind/tasks/filters/faceted_catalog/reference.py').read()\n",
    "read host files": "    return open('/etc/shadow').read()\n",
    "kill its parent": "    os.kill(os.getppid(), signal.SIGKILL)\n    return {}\n",
    "kill everything": "    os.kill(-1, signal.SIGKILL)\n    return {}\n",
}


async def grade_all(answers: dict[str, str]) -> dict[str, dict]:
    from scaleblind.sandbox.docker import open_docker_sandbox
    verdicts = {}
    async with open_docker_sandbox() as env:
        for name, code in answers.items():
            verdicts[name] = await grade_answer(SPEC, code, env, tiers=["demo"])
    return verdicts


def test_hostile_solutions_fail_and_leave_nothing_behind(sandbox_image):
    before = {c.id for c in sandbox_containers()}
    verdicts = asyncio.run(grade_all({name: HEADER + body for name, body in HOSTILE.items()}))
    for name, verdict in verdicts.items():
        assert verdict["failure"] in ("crash", "timeout", "over_memory", "over_latency", "wrong_output"), name
        assert not verdict["correct_at_demo"], name
    assert verdicts["memory bomb"]["failure"] == "over_memory"
    assert verdicts["infinite loop"]["failure"] == "over_latency"
    from scaleblind.sandbox.container import LIVE
    from scaleblind.sandbox.pool import shutdown_all
    live = {c.id for c in LIVE}
    assert {c.id for c in sandbox_containers()} <= before | live    # only the warm pool remains...
    shutdown_all()
    assert {c.id for c in sandbox_containers()} <= before           # ...and it goes with the grader


def test_sandbox_and_local_agree_on_reference_and_naive(sandbox_image):
    from scaleblind.graders.validate import validate_task
    from scaleblind.sandbox.docker import open_docker_sandbox
    from scaleblind.sandbox.local import LocalSandbox

    async def both():
        async with open_docker_sandbox() as env:
            docker = await validate_task(SPEC, env)
        return docker, await validate_task(SPEC, LocalSandbox())

    docker, local = asyncio.run(both())
    keys = ("scale_correct", "correct_at_demo", "highest_tier_passed", "failure", "failure_tier")
    assert docker["ok"] and local["ok"]
    for name in ("reference", "naive"):
        assert {k: docker[name][k] for k in keys} == {k: local[name][k] for k in keys}
