"""The Docker sandbox as inspect and the grader see it: an inspect `SandboxEnvironment` over one container.

Uses the `docker` Python SDK directly because inspect's built-in docker sandbox needs Engine >= 24 and the
compose v2 plugin, which many hosts (including our CI) lack. The parts live beside this file, one job each:
`settings.py` (resource shape and hardening), `container.py` (one container: exec, reset, kill),
`frames.py` (reading an exec stream), `pool.py` (warm reuse and this process's cleanup), `leftovers.py`
(what dead runs left), `in_container.py` (the helpers that run inside). `inspect_env.py` registers the class
below with inspect as `scaleblind`; `open_docker_sandbox` is the grader's factory (`registry.py`).
"""

from __future__ import annotations

import contextlib
import threading
from typing import Any, AsyncIterator, Literal, Union, overload

import anyio
from inspect_ai.util import ExecResult, OutputLimitExceededError, SandboxEnvironment
from pydantic import BaseModel

from scaleblind.sandbox.container import Container, helper_command
from scaleblind.sandbox.engine import docker_available  # noqa: F401  (the Makefile probes the engine by this name)
from scaleblind.sandbox.frames import RawExec
from scaleblind.sandbox.pool import acquire, release, shutdown_all
from scaleblind.sandbox.settings import Limits, output_limit, read_limit, resolve_path


WATCHDOG_REASON = "sample wall-clock timeout"


class ScaleblindSandboxConfig(BaseModel, frozen=True):
    """Per-task limits (`sandbox=("scaleblind", ScaleblindSandboxConfig(memory_mb=512))`); unset means default."""

    memory_mb: int | None = None
    solution_memory_mb: int | None = None
    cpus: float | None = None
    pids: int | None = None
    timeout_s: int | None = None


def limits_from_config(config: Any) -> Limits:
    """inspect passes our pydantic config, a plain dict, or nothing."""
    if config is None or isinstance(config, str):
        return Limits()
    values = config if isinstance(config, dict) else config.model_dump()
    return Limits(**{k: v for k, v in values.items() if v is not None})


class DockerSandboxEnvironment(SandboxEnvironment):
    """inspect `SandboxEnvironment` over one hardened container; `exec` runs as root unless `user` says."""

    def __init__(self, container: Container) -> None:
        super().__init__()
        self.container = container

    async def exec(
        self,
        cmd: list[str],
        input: str | bytes | None = None,
        cwd: str | None = None,
        env: dict[str, str] | None = None,
        user: str | None = None,
        timeout: int | None = None,
        timeout_retry: bool = True,
        concurrency: bool = True,
    ) -> ExecResult[str]:
        """Run a command; a timeout or output over the cap kills the container (no retry: hostile code)."""
        data = input.encode() if isinstance(input, str) else input
        out = await self._run(cmd, data, cwd, env, user, timeout)
        if out.timed_out:
            raise TimeoutError(timeout_message(self.container, timeout))
        if out.overflow:
            tail = bytes(out.stdout[-4096:]).decode(errors="replace")
            raise OutputLimitExceededError(f"{output_limit() // 1024**2} MiB", tail)
        return ExecResult(out.returncode == 0, out.returncode,
                          out.stdout.decode(errors="replace"), out.stderr.decode(errors="replace"))

    async def _run(self, cmd: list[str], data: bytes | None, cwd: str | None, env: dict[str, str] | None,
                   user: str | None, timeout: float | None, limit: int | None = None) -> RawExec:
        """Blocking exec in a worker thread; if our task is cancelled (Ctrl-C), the container dies."""
        call = lambda: self.container.exec_raw(cmd, data, cwd, env, user, timeout, limit)  # noqa: E731
        try:
            return await anyio.to_thread.run_sync(call, abandon_on_cancel=True)
        except anyio.get_cancelled_exc_class():
            self.container.kill("cancelled")
            raise

    async def write_file(self, file: str, contents: str | bytes) -> None:
        """Write via exec (`docker cp` cannot reach tmpfs mounts nor a read-only rootfs)."""
        data = contents.encode() if isinstance(contents, str) else contents
        out = await self._run(helper_command("write", resolve_path(file)), data, None, None, "root", 60)
        raise_file_error(out, file)

    @overload
    async def read_file(self, file: str, text: Literal[True] = True) -> str: ...

    @overload
    async def read_file(self, file: str, text: Literal[False]) -> bytes: ...

    async def read_file(self, file: str, text: bool = True) -> Union[str | bytes]:
        command = helper_command("read", resolve_path(file), str(read_limit()))
        out = await self._run(command, None, None, None, "root", 60, limit=read_limit() + 1)
        raise_file_error(out, file)
        return out.stdout.decode() if text else bytes(out.stdout)

    @classmethod
    async def sample_init(cls, task_name: str, config: Any, metadata: dict[str, str]
                          ) -> dict[str, SandboxEnvironment]:
        container = await anyio.to_thread.run_sync(acquire, limits_from_config(config))
        return {"default": cls(container)}

    @classmethod
    async def sample_cleanup(cls, task_name: str, config: Any, environments: dict[str, SandboxEnvironment],
                             interrupted: bool) -> None:
        for environment in environments.values():
            if isinstance(environment, DockerSandboxEnvironment):
                await anyio.to_thread.run_sync(release, environment.container, not interrupted)

    @classmethod
    async def task_cleanup(cls, task_name: str, config: Any, cleanup: bool) -> None:
        if cleanup:
            await anyio.to_thread.run_sync(shutdown_all)

    @classmethod
    async def cli_cleanup(cls, id: str | None) -> None:
        from scaleblind.sandbox.leftovers import remove_leftovers

        await anyio.to_thread.run_sync(remove_leftovers)

    @classmethod
    def config_deserialize(cls, config: dict[str, Any]) -> Any:
        return ScaleblindSandboxConfig(**config)


def timeout_message(container: Container, timeout: float | None) -> str:
    """Say which clock ran out: this command's own, or the whole sample's (the watchdog kills the container)."""
    reason = container.dead_reason
    if reason in (None, "exec timed out"):
        return f"sandbox command timed out after {timeout or container.limits.timeout_s}s"
    return f"sandbox container was killed during the command: {reason} ({container.limits.timeout_s}s)"


def raise_file_error(out: RawExec, file: str) -> None:
    """Map the helper's exit codes (see `in_container.py`) onto the exceptions inspect documents."""
    if out.timed_out:
        raise TimeoutError(f"sandbox file operation on {file} timed out")
    errors = {2: FileNotFoundError, 3: IsADirectoryError, 4: PermissionError}
    if out.returncode in errors:
        raise errors[out.returncode](file)
    if out.returncode == 5 or out.overflow:
        raise OutputLimitExceededError(f"{read_limit() // 1024**2} MiB", None)
    if out.returncode != 0:
        raise RuntimeError(f"sandbox file operation on {file} failed: {out.stderr.decode(errors='replace')}")


@contextlib.asynccontextmanager
async def open_docker_sandbox(memory_mb: int = Limits.memory_mb, cpus: float = Limits.cpus,
                              pids: int = Limits.pids, timeout_s: int = Limits.timeout_s,
                              solution_memory_mb: int = Limits.solution_memory_mb,
                              ) -> AsyncIterator[DockerSandboxEnvironment]:
    """One sample's sandbox: warm when possible, killed if the sample outlives `timeout_s`, always released."""
    limits = Limits(memory_mb=memory_mb, cpus=cpus, pids=pids, timeout_s=timeout_s,
                    solution_memory_mb=solution_memory_mb)
    container = await anyio.to_thread.run_sync(acquire, limits)
    watchdog = threading.Timer(timeout_s, container.kill, args=(WATCHDOG_REASON,))
    watchdog.daemon = True
    watchdog.start()
    ok = False
    try:
        yield DockerSandboxEnvironment(container)
        ok = True
    finally:
        watchdog.cancel()
        with anyio.CancelScope(shield=True):
            await anyio.to_thread.run_sync(release, container, ok)
