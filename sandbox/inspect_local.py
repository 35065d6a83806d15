"""Register the host `LocalSandbox` with inspect-ai as `scaleblind-local`.

So the scorer always grades through inspect's `sandbox()`, whether a run uses Docker or the host. Not
isolated (see `sandbox/local.py`): for machines without Docker and for fast tests.
"""
from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import Any, Literal, Union, overload

from inspect_ai.util import ExecResult, SandboxEnvironment, sandboxenv

from scaleblind.sandbox.local import LocalSandbox

NAME = "scaleblind-local"
# Grading measures compute time; more solutions at once than half the cores would skew the measurements.
CONCURRENCY = max(1, (os.cpu_count() or 2) // 2)


@sandboxenv(name=NAME)
class LocalInspectSandbox(SandboxEnvironment):
    """A temporary working directory per sample; commands are host subprocesses."""

    def __init__(self, workdir: Path) -> None:
        super().__init__()
        self.workdir = workdir
        self.host = LocalSandbox()

    async def exec(self, cmd: list[str], input: str | bytes | None = None, cwd: str | None = None,
                   env: dict[str, str] | None = None, user: str | None = None, timeout: int | None = None,
                   timeout_retry: bool = True, concurrency: bool = True) -> ExecResult[str]:
        where = str(self.workdir / cwd) if cwd else str(self.workdir)
        out = await self.host.exec(cmd, input=input, cwd=where, env=env, timeout=timeout)
        return ExecResult(out.success, out.returncode, out.stdout, out.stderr)

    async def write_file(self, file: str, contents: str | bytes) -> None:
        path = self.workdir / file
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(contents.encode() if isinstance(contents, str) else contents)

    @overload
    async def read_file(self, file: str, text: Literal[True] = True) -> str: ...

    @overload
    async def read_file(self, file: str, text: Literal[False]) -> bytes: ...

    async def read_file(self, file: str, text: bool = True) -> Union[str | bytes]:
        data = (self.workdir / file).read_bytes()
        return data.decode() if text else data

    @classmethod
    def default_concurrency(cls) -> int | None:
        return CONCURRENCY

    @classmethod
    async def sample_init(cls, task_name: str, config: Any, metadata: dict[str, str]
                          ) -> dict[str, SandboxEnvironment]:
        return {"default": cls(Path(tempfile.mkdtemp(prefix="scaleblind-sample-")))}

    @classmethod
    async def sample_cleanup(cls, task_name: str, config: Any, environments: dict[str, SandboxEnvironment],
                             interrupted: bool) -> None:
        for env in environments.values():
            if isinstance(env, LocalInspectSandbox):
                shutil.rmtree(env.workdir, ignore_errors=True)
