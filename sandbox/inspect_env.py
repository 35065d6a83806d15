"""Register the hardened Docker sandbox with inspect-ai as `scaleblind`.

So `inspect eval scaleblind/<task> --sandbox scaleblind` (or a Task with `sandbox="scaleblind"`) runs samples in
our containers through inspect's ordinary `sandbox()` API. The environment class is the one the grader's
`open_docker_sandbox` yields (`docker.py`); only the registration lives here.
"""

from __future__ import annotations

from inspect_ai.util import sandboxenv

from scaleblind.sandbox.docker import DockerSandboxEnvironment, ScaleblindSandboxConfig

__all__ = ["DockerSandboxEnvironment", "ScaleblindSandboxConfig"]

# The very class `open_docker_sandbox` yields, so the grader and inspect share one implementation.
sandboxenv(name="scaleblind")(DockerSandboxEnvironment)
