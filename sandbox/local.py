"""The `local` sandbox: the driver runs as a subprocess of the host. Not isolated: for machines without Docker.

The driver still keeps the solution in its own process with resource limits and an audit hook, and measures
it from outside, but a hostile solution runs with the host user's rights.
"""
import asyncio
import contextlib
import os
import sys
from dataclasses import dataclass
from typing import AsyncIterator

WARNING = "warning: --sandbox local is not isolated: solution code runs on this host with your user's rights"


@dataclass
class ExecResult:
    """The fields of inspect's ExecResult the grader reads (inspect's own class is used inside evals)."""

    success: bool
    returncode: int
    stdout: str
    stderr: str


class LocalSandbox:
    """Runs commands on the host; `python3` resolves to the interpreter that runs scaleblind."""

    async def exec(self, cmd: list[str], input: str | bytes | None = None, cwd: str | None = None,
                   env: dict[str, str] | None = None, user: str | None = None, timeout: int | None = None,
                   **_: object) -> ExecResult:
        path = os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", "")
        full_env = {**os.environ, "PATH": path, **(env or {})}
        full_env.pop("SCALEBLIND_SOLUTION_UID", None)  # no privilege drop on a host
        proc = await asyncio.create_subprocess_exec(
            *cmd, stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
            cwd=cwd, env=full_env, start_new_session=True)
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
