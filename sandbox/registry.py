"""Sandboxes by name. The grader only needs `async exec(cmd, input=..., timeout=...)`, the same call as
inspect's `sandbox()` API, so inside an eval any inspect sandbox (ours, docker, k8s) can stand in."""
import contextlib
import importlib
import shutil
from typing import Any, AsyncContextManager, Callable

# name -> "module:factory"; factories are async context managers yielding a sandbox environment.
SANDBOXES: dict[str, str] = {
    "local": "scaleblind.sandbox.local:open_local_sandbox",
    "docker": "scaleblind.sandbox.docker:open_docker_sandbox",
}


class SandboxUnavailable(RuntimeError):
    pass


def factory(name: str) -> Callable[..., AsyncContextManager[Any]]:
    if name not in SANDBOXES:
        raise SandboxUnavailable(f"unknown sandbox {name!r}; choose from {', '.join(SANDBOXES)}")
    module, attr = SANDBOXES[name].split(":")
    try:
        return getattr(importlib.import_module(module), attr)
    except (ImportError, AttributeError) as exc:
        raise SandboxUnavailable(f"sandbox {name!r} is not available: {exc}") from None


def default_sandbox() -> str:
    """docker wherever a Docker Engine answers, else local."""
    if shutil.which("docker") is None and not _docker_socket():
        return "local"
    try:
        from .engine import docker_available
    except ImportError:
        return "local"
    with contextlib.suppress(Exception):
        if docker_available():
            return "docker"
    return "local"


def _docker_socket() -> bool:
    import os
    return os.path.exists("/var/run/docker.sock")
