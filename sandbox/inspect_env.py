"""Register the hardened Docker sandbox with inspect-ai as `scaleblind`.

So `inspect eval scaleblind/<task> --sandbox scaleblind` (or a Task with `sandbox="scaleblind"`) runs samples in
our containers through inspect's ordinary `sandbox()` API. The environment class is the one the grader's
`open_docker_sandbox` yields; only the registration lives here.
"""

from __future__ import annotations

from inspect_ai.util import sandboxenv
from pydantic import BaseModel

from scaleblind.sandbox.docker import DockerSandboxEnvironment

__all__ = ["DockerSandboxEnvironment", "ScaleblindSandboxConfig"]


class ScaleblindSandboxConfig(BaseModel, frozen=True):
    """Per-task limits (`sandbox=("scaleblind", ScaleblindSandboxConfig(memory_mb=512))`); unset means default."""

    memory_mb: int | None = None
    cpus: float | None = None
    pids: int | None = None
    timeout_s: int | None = None


# The very class `open_docker_sandbox` yields, so the grader and inspect share one implementation.
sandboxenv(name="scaleblind")(DockerSandboxEnvironment)
