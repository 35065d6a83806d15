"""The hostile files of `test_driver_hostile.py`, graded end to end in the Docker sandbox (the solution as uid
1001 beside the driver as a capability-less root): the same verdicts, nothing left behind, no verdict lost.

Attacks the VmHWM fallback cannot see are checked where the container hands the driver a memory cgroup; the
last test hands one itself (a cgroup made on the host, bind-mounted as the sandbox does) to check the driver's
side of it in the hardened container.
"""
from __future__ import annotations

import asyncio
import json
import subprocess
import warnings

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
        if attack.needs_cgroup and meter != "cgroup":  # the fallback cannot see it (README)
            warnings.warn(f"{attack.name} not checked: the sandbox gives this container no memory cgroup")
            continue
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


def driver_in_container(image: str, cgroup, job: dict) -> dict:
    """The driver in a container made as the sandbox makes them, with `cgroup` bind-mounted as its memory
    cgroup (what the Docker sandbox hands every container)."""
    from scaleblind.sandbox.settings import SECCOMP_PROFILE, Limits, container_kwargs
    settings = container_kwargs(image, Limits())
    flags = ["--rm", "-i", "--read-only", "--init", "--network", "none", "--ipc", "private",
             "-m", settings["mem_limit"], "--memory-swap", settings["memswap_limit"],
             "--pids-limit", str(settings["pids_limit"]), "--cap-drop", "ALL", "-w", settings["working_dir"],
             "--shm-size", str(settings["shm_size"])]
    flags += [flag for cap in settings["cap_add"] for flag in ("--cap-add", cap)]
    # the engine's API takes the seccomp profile's text; the docker CLI takes its path
    options = [f"seccomp={SECCOMP_PROFILE}" if opt.startswith("seccomp=") else opt for opt in settings["security_opt"]]
    flags += [flag for opt in options for flag in ("--security-opt", opt)]
    flags += [flag for path, opts in settings["tmpfs"].items() for flag in ("--tmpfs", f"{path}:{opts}")]
    environment = {**settings["environment"], "SCALEBLIND_MEMORY_CGROUP": "/sandbox-cgroup"}
    flags += [flag for key, value in environment.items() for flag in ("-e", f"{key}={value}")]
    flags += ["-v", f"{cgroup}:/sandbox-cgroup"]
    out = subprocess.run(["docker", "run", *flags, image, "python3", "-m", "scaleblind.graders.driver"],
                         input=json.dumps(job), capture_output=True, text=True, timeout=900)
    lines = out.stdout.strip().splitlines()
    assert lines, f"the driver printed nothing (exit {out.returncode}): {out.stderr[-800:]}"
    return json.loads(lines[-1])


def test_the_memory_cgroup_measures_and_enforces_in_the_hardened_container(image):
    from driver_support import make_cgroup, remove_cgroup
    cgroup = make_cgroup()
    if cgroup is None:
        pytest.skip("needs root and a writable memory cgroup hierarchy on the host")
    try:
        for name, failure in (("freeze_bloat_reset", "over_memory"), ("memory_outside_the_heap", "over_memory")):
            job = {"task": "reporting/top_products", "code": (HOSTILE / f"{name}.py").read_text(),
                   "tiers": ["demo"], "seed": 0, "stop_on_fail": True}
            tier = driver_in_container(image, cgroup, job)["tiers"][0]
            assert (tier["failure"], tier["memory_meter"]) == (failure, "cgroup"), (name, tier["message"])
        reference = (HOSTILE.parents[2] / "tasks/reporting/top_products/reference.py").read_text()
        run = driver_in_container(image, cgroup, {"task": "reporting/top_products", "code": reference,
                                                  "tiers": None, "seed": 0, "stop_on_fail": True})
        assert all(t["failure"] is None and t["memory_meter"] == "cgroup" for t in run["tiers"])
    finally:
        assert remove_cgroup(cgroup) == [], "the driver left memory cgroups behind"
