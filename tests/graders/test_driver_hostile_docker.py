"""The hostile files of `test_driver_hostile.py`, graded end to end in the Docker sandbox (the solution as uid
1001 beside the driver as a capability-less root): the same verdicts, nothing left behind, no verdict lost.

Attacks the VmHWM fallback cannot see run only where the container hands the driver a memory cgroup.
"""
from __future__ import annotations

import asyncio
import json

import pytest
from driver_support import HOSTILE, Attack, failing_tier
from test_driver_hostile import ATTACKS

from scaleblind.graders.grade import grade_answer, run_driver
from scaleblind.tasks.registry import get_task

pytestmark = [pytest.mark.docker, pytest.mark.slow]


@pytest.fixture(scope="module")
def image() -> str:
    from scaleblind.sandbox.doctor import docker_available
    if not docker_available():
        pytest.skip("no Docker Engine answers on this host")
    from scaleblind.sandbox.image import build_image
    return build_image().tag


async def grade_in_docker(attacks: list[Attack]) -> dict[str, dict]:
    from scaleblind.sandbox.docker import open_docker_sandbox
    verdicts = {}
    async with open_docker_sandbox() as env:
        for attack in attacks:
            tiers = list(attack.tiers) if attack.tiers else None
            verdicts[attack.name] = await grade_answer(get_task(attack.task), attack.code, env, tiers=tiers)
    return verdicts


def test_hostile_solutions_get_their_verdicts_in_docker(image):
    attacks = [a for a in ATTACKS if not a.local_only]
    verdicts = asyncio.run(grade_in_docker(attacks))             # a HarnessError would raise: no verdict lost
    meter = verdicts["freeze_bloat_reset"]["tiers"][0]["memory_meter"]
    for attack in attacks:
        verdict = verdicts[attack.name]
        if attack.needs_cgroup and meter != "cgroup":
            continue  # the sandbox gives this container no memory cgroup: the fallback cannot see it (README)
        message = failing_tier(verdict).get("message") or ""
        assert verdict["failure"] in attack.failures, (attack.name, verdict["failure"], message)
        if verdict["failure"] == attack.failures[0]:
            assert attack.says in message, (attack.name, message)
    from scaleblind.sandbox.docker import shutdown_all
    shutdown_all()


async def run_all_tiers(code: str) -> dict:
    from scaleblind.sandbox.docker import open_docker_sandbox
    job = {"task": "filters/faceted_catalog", "code": code, "tiers": None, "seed": 0, "stop_on_fail": False}
    async with open_docker_sandbox() as env:
        return await run_driver(env, job, 600)


def test_every_tier_starts_clean_after_a_full_scratch(image):
    """Every tier fills the scratch tmpfs and locks a directory; every next tier still starts clean."""
    run = asyncio.run(run_all_tiers((HOSTILE / "scratch_full.py").read_text()))
    tiers = run["tiers"]
    assert [t["tier"] for t in tiers] == get_task("filters/faceted_catalog").tier_names
    for tier in tiers:
        assert "left by an earlier tier" not in json.dumps(tier.get("diff")), tier
        assert tier["failure"] in (None, "over_memory"), (tier["tier"], tier["failure"], tier["message"])
