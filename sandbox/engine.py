"""The Docker Engine connection: one long-timeout SDK client per process for work, short ones for probes.

Nothing contacts the engine at import time; `docker` itself is imported on first use.
"""

from __future__ import annotations

from typing import Any

_client: Any = None


def client() -> Any:
    """The process's SDK client for real work, made on first use (builds and kills can take a while)."""
    global _client
    if _client is None:
        import docker

        _client = docker.from_env(timeout=120)
    return _client


def probe_client() -> Any:
    """A client with a short timeout, so a dead engine is reported quickly."""
    import docker

    return docker.from_env(timeout=10)


def docker_available() -> bool:
    """True when a Docker Engine answers (used to pick `--sandbox docker` as the default)."""
    try:
        return bool(probe_client().ping())
    except Exception:
        return False
