"""One running sandbox container: start it, run commands in it, reset it between samples, kill it.

Synchronous (the docker SDK blocks); async callers run these calls in worker threads. Every container this
process started and has not killed is in `LIVE`, so shutdown can remove them all.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

from inspect_ai.util._sandbox.environment import SandboxUnavailableError

from scaleblind.sandbox import memory_cgroup
from scaleblind.sandbox.frames import RawExec, close_hard, feed_stdin, pump_frames
from scaleblind.sandbox.settings import SCRATCH, Limits, container_kwargs, output_limit, resolve_path

LIVE: set[Container] = set()
# `in_container.py` runs inside the container, sent as source: the image holds nothing of the host's.
IN_CONTAINER = (Path(__file__).resolve().parent / "in_container.py").read_text()


def helper_command(command: str, *args: str) -> list[str]:
    """The exec command line that runs one of `in_container.py`'s commands (no site: fast start)."""
    return ["python3", "-I", "-S", "-c", IN_CONTAINER, command, *args]


class Container:
    """One running sandbox container (sync API; callers wrap blocking calls in threads)."""

    def __init__(self, client: Any, limits: Limits, image: str) -> None:
        self.client = client
        self.limits = limits
        self.image = image
        self.dead_reason: str | None = None
        started = time.monotonic()
        shape = memory_cgroup.Shape(limits.solution_memory_mb, limits.pids, limits.cpus)
        self.cgroup = memory_cgroup.create_or_warn(shape)
        try:
            # create + start, not `run`: `run` falls back to pulling from a registry, which must never happen.
            self.handle = client.containers.create(**container_kwargs(image, limits, self.cgroup_path))
        except BaseException:
            self.remove_cgroup()
            raise
        self.id: str = self.handle.id
        LIVE.add(self)
        self.handle.start()
        self.started_at = started
        self.cold_start_s = time.monotonic() - started

    def exec_raw(self, cmd: list[str], input: bytes | None = None, cwd: str | None = None,
                 env: dict[str, str] | None = None, user: str | None = None,
                 timeout: float | None = None, limit: int | None = None) -> RawExec:
        """Run `cmd` to completion; on timeout or runaway output the whole container is killed."""
        import docker.errors

        if self.dead_reason:
            raise SandboxUnavailableError(f"sandbox container is gone: {self.dead_reason}")
        api = self.client.api
        try:
            exec_id = api.exec_create(
                self.id, cmd, stdin=input is not None, stdout=True, stderr=True, user=user or "root",
                workdir=resolve_path(cwd) if cwd else SCRATCH,
                environment=[f"{k}={v}" for k, v in (env or {}).items()] or None,
            )["Id"]
            sock = api.exec_start(exec_id, socket=True)._sock
        except docker.errors.APIError as exc:
            raise SandboxUnavailableError(f"cannot exec in sandbox container: {exc}") from exc
        out = RawExec()
        deadline = time.monotonic() + (timeout or self.limits.timeout_s)
        if input is not None:
            threading.Thread(target=feed_stdin, args=(sock, input), daemon=True).start()
        try:
            pump_frames(sock, out, deadline, limit or output_limit())
        except TimeoutError:
            out.timed_out = True
        finally:
            if self.dead_reason and not out.overflow:  # the sample's watchdog killed the container meanwhile
                out.timed_out = True
            close_hard(sock)  # first: the engine stalls a kill while an unread exec stream is pending
            if out.timed_out or out.overflow:
                self.kill("exec timed out" if out.timed_out else "exec output over the limit")
        if not (out.timed_out or out.overflow):
            out.returncode = self.exit_code(exec_id)
        return out

    def exit_code(self, exec_id: str) -> int:
        """The exec's exit code; the engine may report it a moment after the stream ends."""
        for _ in range(200):
            info = self.client.api.exec_inspect(exec_id)
            if not info.get("Running") and info.get("ExitCode") is not None:
                return int(info["ExitCode"])
            time.sleep(0.005)
        return -1

    def kill(self, reason: str) -> None:
        """Kill and remove (auto_remove also removes it); safe to call twice or on a gone container."""
        import docker.errors

        if self.dead_reason is None:
            self.dead_reason = reason
        for action in (lambda: self.handle.kill(), lambda: self.handle.remove(force=True)):
            try:
                action()
            except (docker.errors.APIError, docker.errors.NotFound):
                pass  # gone already, or auto_remove's removal is under way: wait for it below
        self.wait_gone()
        self.remove_cgroup()  # after the container: its processes die with it and leave the cgroup empty
        LIVE.discard(self)

    def wait_gone(self, timeout_s: float = 10.0) -> bool:
        """Until the engine no longer knows the container (a removal in progress makes `remove` return early)."""
        import docker.errors

        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            try:
                self.client.api.inspect_container(self.id)
            except docker.errors.NotFound:
                return True
            except docker.errors.APIError:
                pass
            time.sleep(0.05)
        return False

    @property
    def cgroup_path(self) -> Path | None:
        return self.cgroup.path if self.cgroup else None

    def remove_cgroup(self) -> None:
        """Remove the solutions' cgroup; one that will not go is left to `doctor --clean`."""
        if self.cgroup is not None and memory_cgroup.remove(self.cgroup.path):
            self.cgroup = None

    def age_ok(self) -> bool:
        """Reuse only while enough lifetime remains for one more full sample."""
        age = time.monotonic() - self.started_at
        return age + 2 * self.limits.timeout_s < self.limits.lifetime_s

    def reset(self) -> str | None:
        """Make the container as fresh as a new one; returns None if clean, else why it is not."""
        try:  # one exec (exec startup dominates warm overhead): a uid-1001 child first, then the root part
            check = self.exec_raw(helper_command("reset"), user="root", timeout=20)
        except SandboxUnavailableError as exc:
            return str(exc)
        text = check.stdout.decode(errors="replace").strip()
        return None if check.returncode == 0 and text == "CLEAN" else (text or check.stderr.decode()[:300])
