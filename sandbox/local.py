"""The `local` sandbox: the driver runs as a subprocess of the host. Not isolated: for machines without Docker.

The driver still keeps the solution in its own process with resource limits and an audit hook, and measures
it from outside, but a hostile solution runs with the host user's rights. Where the host allows it (root and
a writable cgroup hierarchy), each command gets a solutions' memory cgroup of its own, as in Docker, so the
two sandboxes measure memory the same way; elsewhere the driver samples RSS (one warning says so).
"""
import asyncio
import contextlib
import os
import sys
from dataclasses import dataclass
from typing import AsyncIterator

from scaleblind.sandbox import memory_cgroup
from scaleblind.sandbox.settings import MEMORY_CGROUP_ENV, Limits

WARNING = "warning: --sandbox local is not isolated: solution code runs on this host with your user's rights"


@dataclass
class ExecResult:
    """The fields of inspect's ExecResult the grader reads (inspect's own class is used inside evals)."""

    success: bool
    returncode: int
    stdout: str
    stderr: str


class LocalSandbox:
    """Runs commands on the host; `python3` resolves to the interpreter that runs scaleblind.

    `memory_cgroup=False` leaves solutions without a memory cgroup of their own even where one could be made, so
    the driver measures with its fallback meter (tests of that fallback)."""

    def __init__(self, memory_cgroup: bool = True) -> None:
        self.memory_cgroup = memory_cgroup

    async def exec(self, cmd: list[str], input: str | bytes | None = None, cwd: str | None = None,
                   env: dict[str, str] | None = None, user: str | None = None, timeout: int | None = None,
                   **_: object) -> ExecResult:
        path = os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", "")
        full_env = {**os.environ, "PATH": path, **(env or {})}
        full_env.pop("SCALEBLIND_SOLUTION_UID", None)  # no privilege drop on a host
        full_env.pop(MEMORY_CGROUP_ENV, None)  # never one the caller's own environment happens to carry
        cgroup = (memory_cgroup.create_or_warn(memory_cgroup.Shape(Limits().solution_memory_mb))
                  if self.memory_cgroup else None)
        if cgroup is not None:
            full_env[MEMORY_CGROUP_ENV] = str(cgroup.path)
        try:
            return await self._run(cmd, input, cwd, full_env, timeout)
        finally:
            if cgroup is not None:
                await asyncio.to_thread(memory_cgroup.remove, cgroup.path)

    async def _run(self, cmd: list[str], input: str | bytes | None, cwd: str | None, env: dict[str, str],
                   timeout: int | None) -> ExecResult:
        proc = await asyncio.create_subprocess_exec(
            *cmd, stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
            cwd=cwd, env=env, start_new_session=True)
        data = input.encode() if isinstance(input, str) else input
        try:
            out, err = await asyncio.wait_for(proc.communicate(data), timeout)
        except asyncio.TimeoutError:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, 9)
            await proc.wait()
            raise TimeoutError(f"command timed out after {timeout} s") from None
        return ExecResult(proc.returncode == 0, proc.returncode, out.decode(errors="replace"),
                          err.decode(errors="replace"))


@contextlib.asynccontextmanager
async def open_local_sandbox(**_: object) -> AsyncIterator[LocalSandbox]:
    yield LocalSandbox()
