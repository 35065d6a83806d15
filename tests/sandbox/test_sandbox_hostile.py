"""Hostile code run as the solution uid (1001) is contained, the host is unharmed, no container is left.

These exercise the container itself with `exec` of Python snippets; `test_sandbox_grade.py` runs the same
attacks as solutions through the grader.
"""

from __future__ import annotations

import resource
import time
from typing import Any

import anyio
import pytest

from sandbox_helpers import container_gone, sandbox_containers

pytestmark = pytest.mark.docker

SOLUTION = "1001"


def py(env: Any, code: str, timeout: int = 30, user: str = SOLUTION) -> Any:
    """Run a Python snippet in the sandbox and return inspect's ExecResult."""
    return anyio.run(lambda: env.exec(["python3", "-c", code], user=user, timeout=timeout))


def fresh(sandbox_image: str, **limits: Any) -> Any:
    from scaleblind.sandbox.docker import DockerSandboxEnvironment
    from scaleblind.sandbox.pool import acquire
    from scaleblind.sandbox.settings import Limits

    return DockerSandboxEnvironment(acquire(Limits(**limits), sandbox_image))


def test_solution_runs_unprivileged(shared: Any) -> None:
    result = py(shared, "import os, numpy, pandas; print(os.getuid(), os.getgid(), os.getgroups())")
    assert result.success, result.stderr
    assert result.stdout.split()[:2] == ["1001", "1001"]


def test_bounded_fork_bomb_hits_pids_limit_and_container_stays_reusable(shared: Any) -> None:
    from scaleblind.sandbox.pool import release

    bomb = """
import os, time
t0, refused = time.time(), 0
while time.time() - t0 < 3:
    try:
        os.fork()
    except OSError:
        refused += 1
print('REFUSED', refused)
"""
    result = py(shared, bomb, timeout=30)
    assert "REFUSED" in result.stdout
    assert any(int(line.split()[1]) > 0 for line in result.stdout.splitlines() if line.startswith("REFUSED"))
    assert shared.container.reset() is None  # every bomb process is gone afterwards


def test_unbounded_fork_bomb_is_killed_with_its_container(sandbox_image: str) -> None:
    env = fresh(sandbox_image, pids=64, timeout_s=60)
    started = time.monotonic()
    with pytest.raises(TimeoutError):
        py(env, "import os\nwhile True:\n    try: os.fork()\n    except OSError: pass", timeout=4)
    assert time.monotonic() - started < 20
    assert container_gone(env.container.id)


def test_memory_bomb_is_stopped(shared: Any) -> None:
    result = py(shared, "b = bytearray(2 * 1024**3); b[::4096] = b'x' * len(b[::4096]); print('ALLOCATED')")
    assert not result.success and "ALLOCATED" not in result.stdout
    assert shared.container.reset() is None


def test_infinite_loop_times_out_and_container_dies(sandbox_image: str) -> None:
    env = fresh(sandbox_image, timeout_s=60)
    started = time.monotonic()
    with pytest.raises(TimeoutError):
        py(env, "while True: pass", timeout=2)
    assert time.monotonic() - started < 15
    assert container_gone(env.container.id)


def test_one_gigabyte_of_output_is_capped(sandbox_image: str) -> None:
    from inspect_ai.util import OutputLimitExceededError

    env = fresh(sandbox_image, timeout_s=120)
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    code = "import sys\nchunk = 'x' * (1 << 20)\nfor _ in range(1024): sys.stdout.write(chunk)\nprint('DONE')"
    with pytest.raises(OutputLimitExceededError):
        py(env, code, timeout=100)
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before) / 1024
    assert grown_mb < 200, f"host process grew by {grown_mb:.0f} MB"
    assert container_gone(env.container.id)


def test_network_is_off(shared: Any) -> None:
    code = """
import os, socket
print('IFACES', sorted(os.listdir('/sys/class/net')))
for host, port in (('1.1.1.1', 53), ('172.17.0.1', 2375), ('deb.debian.org', 80)):
    try:
        socket.create_connection((host, port), timeout=2)
        print('CONNECTED', host)
    except OSError as exc:
        print('BLOCKED', host, type(exc).__name__)
"""
    result = py(shared, code)
    assert "IFACES ['lo']" in result.stdout
    assert "CONNECTED" not in result.stdout and result.stdout.count("BLOCKED") == 3


def test_writes_outside_scratch_fail(shared: Any) -> None:
    code = """
import os
for path in ('/etc/passwd', '/usr/bin/python3', '/opt/x', '/x', '/var/tmp/x', '/home/x', '/root/x',
             '/proc/sys/kernel/hostname', '/sys/fs/cgroup/x', '/opt/solution-lib/x'):
    try:
        with open(path, 'a') as f: f.write('pwned')
        print('WROTE', path)
    except OSError:
        pass
with open('/scratch/mine.txt', 'w') as f: f.write('ok')
with open('/tmp/mine.txt', 'w') as f: f.write('ok')
print('SCRATCH OK')
"""
    result = py(shared, code)
    assert "WROTE" not in result.stdout and "SCRATCH OK" in result.stdout, result.stdout + result.stderr
    for user in (SOLUTION, "root"):
        assert "WROTE" not in py(shared, code, user=user).stdout


def test_host_files_and_trusted_runtime_are_unreadable(shared: Any, tmp_path: Any) -> None:
    secret = tmp_path / "host-secret.txt"
    secret.write_text("host secret")
    code = f"""
import os
checks = {{
    'host file': lambda: open({str(secret)!r}).read(),
    'docker socket': lambda: os.stat('/var/run/docker.sock'),
    'trusted runtime': lambda: os.listdir('/opt/scaleblind'),
    'init root': lambda: os.listdir('/proc/1/root'),
    'shadow': lambda: open('/etc/shadow').read(),
}}
for name, check in checks.items():
    try:
        check(); print('READ', name)
    except OSError:
        print('DENIED', name)
"""
    result = py(shared, code)
    assert "READ" not in result.stdout and result.stdout.count("DENIED") == 5, result.stdout + result.stderr


def test_solution_cannot_kill_its_parent_or_init(shared: Any) -> None:
    """A root parent (like the driver) drops a child to uid 1001; the child's kills fail, the parent lives."""
    parent = """
import subprocess, sys
child = '''
import os, signal
for target in (os.getppid(), 1, -1):
    try:
        os.kill(target, signal.SIGKILL); print('KILLED', target)
    except OSError as exc:
        print('DENIED', target, type(exc).__name__)
'''
out = subprocess.run([sys.executable, '-c', child], user=1001, group=1001, extra_groups=[],
                     capture_output=True, text=True)
print(out.stdout + out.stderr)
print('PARENT ALIVE')
"""
    result = py(shared, parent, user="root")
    assert "PARENT ALIVE" in result.stdout, result.stdout + result.stderr
    assert "DENIED 1 " in result.stdout and "KILLED 1\n" not in result.stdout
    assert f"KILLED " not in result.stdout.replace("KILLED -1", "")


def test_no_container_left_behind(sandbox_image: str) -> None:
    """Runs last in this module: every container the tests killed is gone; only pooled ones remain."""
    from scaleblind.sandbox.container import LIVE
    from scaleblind.sandbox.pool import shutdown_all

    live_ids = {c.id for c in LIVE}
    assert {c.id for c in sandbox_containers()} <= live_ids
    shutdown_all()
    assert all(container_gone(cid) for cid in live_ids)
