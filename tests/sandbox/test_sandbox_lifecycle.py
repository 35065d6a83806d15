"""Lifecycle of sandbox containers: hardening flags, warm reuse that leaves nothing behind, cleanup on
timeouts, cancellation, SIGTERM and after a grader crash, image build idempotence, doctor."""

from __future__ import annotations

import signal
import statistics
import subprocess
import sys
import textwrap
import time
from typing import Any

import anyio
import pytest
from sandbox_helpers import container_gone

SOLUTION = "1001"


def test_hardening_is_on_by_default() -> None:
    from scaleblind.sandbox.settings import Limits, container_kwargs

    kwargs = container_kwargs("scaleblind-sandbox:abc", Limits(memory_mb=512, solution_memory_mb=256, cpus=0.5,
                                                               pids=99))
    assert kwargs["network_mode"] == "none" and kwargs["read_only"] is True and kwargs["init"] is True
    assert kwargs["mem_limit"] == kwargs["memswap_limit"] == "768m"  # no cgroup of its own: driver + solution
    assert kwargs["nano_cpus"] == 500_000_000 and kwargs["pids_limit"] == 99
    assert kwargs["cap_drop"] == ["ALL"] and sorted(kwargs["cap_add"]) == ["SETGID", "SETUID"]
    assert kwargs["security_opt"][0] == "no-new-privileges" and kwargs["security_opt"][1].startswith("seccomp={")
    assert set(kwargs["tmpfs"]) == {"/tmp", "/scratch", "/sys/fs/cgroup"} and "mode=1777" in kwargs["tmpfs"]["/scratch"]
    assert kwargs["tmpfs"]["/sys/fs/cgroup"].startswith("ro,")
    assert kwargs["labels"]["scaleblind.sandbox"] == "1" and kwargs["labels"]["scaleblind.pid"]
    assert not kwargs["image"].endswith(":latest")


def test_registered_with_inspect() -> None:
    from inspect_ai.util._sandbox.registry import registry_find_sandboxenv

    import scaleblind._registry  # noqa: F401
    from scaleblind.sandbox.docker import DockerSandboxEnvironment

    assert registry_find_sandboxenv("scaleblind") is DockerSandboxEnvironment


@pytest.mark.docker
def test_second_build_is_a_noop(sandbox_image: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Inputs frozen once (other edits in a shared working tree must not change them mid-test)."""
    import contextlib
    import shutil
    import tempfile
    from pathlib import Path

    from scaleblind.sandbox import image

    frozen = Path(tempfile.mkdtemp(prefix="frozen-ctx-"))
    with image.staged_context() as (ctx, digest, warnings):
        shutil.copytree(ctx, frozen, dirs_exist_ok=True)

    @contextlib.contextmanager
    def staged() -> Any:
        yield frozen, digest, warnings

    monkeypatch.setattr(image, "staged_context", staged)
    try:
        first = image.build_image()
        second = image.build_image()
    finally:
        shutil.rmtree(frozen, ignore_errors=True)
    assert second.built is False and second.tag == first.tag and "up to date" in second.message


DIRTY = textwrap.dedent("""
    import ctypes, os, subprocess
    null = subprocess.DEVNULL
    subprocess.Popen(['sleep', '1000'], stdin=null, stdout=null, stderr=null, start_new_session=True)
    os.makedirs('/scratch/deep/locked'); open('/scratch/deep/locked/f', 'w').write('x')
    os.chmod('/scratch/deep/locked', 0); os.chmod('/scratch/deep', 0)
    open('/scratch/.hidden', 'w').write('x'); open('/tmp/t', 'w').write('x'); open('/dev/shm/s', 'w').write('x')
    libc = ctypes.CDLL(None)
    print('SHM', libc.shmget(0, 4096, 0o1600))
""")
CLEAN_CHECK = textwrap.dedent("""
    import os
    procs = [p for p in os.listdir('/proc') if p.isdigit() and int(p) not in (1, os.getpid())]
    cmds = sorted(open('/proc/%s/cmdline' % p, 'rb').read().split(b'\\0')[0].decode() for p in procs)
    files = {d: os.listdir(d) for d in ('/scratch', '/tmp', '/dev/shm')}
    print(cmds, files, open('/proc/sysvipc/shm').read().count('\\n') - 1)
""")


@pytest.mark.docker
def test_warm_reuse_leaves_no_process_and_no_file(sandbox_image: str) -> None:
    from scaleblind.sandbox.docker import open_docker_sandbox

    async def scenario() -> tuple[str, str, str]:
        async with open_docker_sandbox(memory_mb=256) as env:
            dirty = await env.exec(["python3", "-c", DIRTY], user=SOLUTION, timeout=30)
            assert dirty.success and int(dirty.stdout.split()[-1]) >= 0, dirty.stderr
            await env.exec(["python3", "-c", "import subprocess as s; s.Popen(['sleep', '999'], "
                            "stdin=s.DEVNULL, stdout=s.DEVNULL, stderr=s.DEVNULL)"], timeout=30)
            await env.write_file("root-owned/solution.py", "print(1)")
            first = env.container.id
        async with open_docker_sandbox(memory_mb=256) as env:
            check = await env.exec(["python3", "-c", CLEAN_CHECK], timeout=30)
            return first, env.container.id, check.stdout.strip()

    first, second, state = anyio.run(scenario)
    assert first == second, "the container was not reused"
    assert state == "['/bin/sleep'] {'/scratch': [], '/tmp': [], '/dev/shm': []} 0"


@pytest.mark.docker
def test_warm_overhead_is_small(sandbox_image: str) -> None:
    from scaleblind.sandbox.docker import open_docker_sandbox

    async def one() -> float:
        started = time.monotonic()
        async with open_docker_sandbox(memory_mb=384):
            pass
        return time.monotonic() - started

    anyio.run(one)  # cold
    warm = statistics.median(anyio.run(one) for _ in range(3))
    assert warm < 1.0, f"warm per-sample overhead {warm:.2f}s (target < 0.5 s)"


@pytest.mark.docker
def test_sample_wall_clock_kills_the_container(sandbox_image: str) -> None:
    from scaleblind.sandbox.docker import open_docker_sandbox

    async def scenario() -> str:
        async with open_docker_sandbox(memory_mb=256, timeout_s=3) as env:
            with pytest.raises(TimeoutError, match="sample wall-clock timeout"):
                await env.exec(["sleep", "60"], user=SOLUTION, timeout=30)  # the sample's clock runs out first
            return env.container.id

    started = time.monotonic()
    container_id = anyio.run(scenario)
    assert time.monotonic() - started < 20
    assert container_gone(container_id)


@pytest.mark.docker
def test_cancellation_kills_the_container(sandbox_image: str) -> None:
    from scaleblind.sandbox.docker import open_docker_sandbox

    async def scenario() -> str:
        async with open_docker_sandbox(memory_mb=256) as env:
            with anyio.move_on_after(2):
                await env.exec(["sleep", "60"], user=SOLUTION)
            return env.container.id

    started = time.monotonic()
    container_id = anyio.run(scenario)
    assert time.monotonic() - started < 15
    assert container_gone(container_id)


GRADER = textwrap.dedent("""
    import os, signal, sys, time
    from scaleblind.sandbox.pool import acquire
    from scaleblind.sandbox.settings import Limits
    container = acquire(Limits(memory_mb=128))
    print(container.id, flush=True)
    if sys.argv[1] == 'crash':
        os.kill(os.getpid(), signal.SIGKILL)
    time.sleep(60)
""")


def start_grader(mode: str) -> tuple[subprocess.Popen[str], str]:
    proc = subprocess.Popen([sys.executable, "-c", GRADER, mode], stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    return proc, proc.stdout.readline().strip()


@pytest.mark.docker
def test_crashed_grader_leftovers_are_found_and_removed(sandbox_image: str) -> None:
    from scaleblind.sandbox.engine import probe_client
    from scaleblind.sandbox.leftovers import leftovers, remove_leftovers

    proc, container_id = start_grader("crash")
    proc.wait(timeout=30)
    assert container_id in {c.id for c in leftovers(probe_client())}
    cgroup = probe_client().containers.get(container_id).labels.get("scaleblind.cgroup")
    removed = remove_leftovers()
    assert container_id[:12] in removed
    assert container_gone(container_id)
    if cgroup:  # the crashed grader's solutions' cgroup goes too
        from scaleblind.sandbox import memory_cgroup

        hierarchy = memory_cgroup.find_hierarchy()
        assert hierarchy is not None and cgroup in removed
        assert not (memory_cgroup.parent_folder(hierarchy) / cgroup).exists()


@pytest.mark.docker
def test_sigterm_removes_the_graders_containers(sandbox_image: str) -> None:
    from scaleblind.sandbox.engine import probe_client
    from scaleblind.sandbox.leftovers import leftovers

    proc, container_id = start_grader("sleep")
    assert container_id not in {c.id for c in leftovers(probe_client())}  # creator alive: not a leftover
    proc.send_signal(signal.SIGTERM)
    proc.wait(timeout=30)
    assert container_gone(container_id)


@pytest.mark.docker
def test_doctor_finds_nothing_wrong(sandbox_image: str) -> None:
    from scaleblind.sandbox.doctor import doctor

    checks = doctor()
    failing = [c.line() for c in checks if not c.ok and c.name != "leftovers"]
    assert not failing, failing
    assert {c.name for c in checks} >= {"engine", "image", "memory limit", "pids limit", "network", "memory cgroup",
                                        "seccomp"}


@pytest.mark.docker
def test_nothing_left_by_this_module(sandbox_image: str) -> None:
    from sandbox_helpers import sandbox_containers

    from scaleblind.sandbox.container import LIVE
    from scaleblind.sandbox.pool import shutdown_all

    shutdown_all()
    assert not LIVE
    assert all(container_gone(c.id) for c in sandbox_containers())
