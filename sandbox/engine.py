"""The Docker Engine connection: one long-timeout SDK client per process for work, short ones for probes.

Nothing contacts the engine at import time; `docker` itself is imported on first use.
"""

from __future__ import annotations

from typing import Any

_client: Any = None
# >= samples in flight (up to 32 per offline model, several models at once): at docker's default of 10, urllib3
# warned "Connection pool is full" for almost every sample
CLIENT_POOL_SIZE = 256


def client() -> Any:
    """The process's SDK client for real work, made on first use (builds and kills can take a while)."""
    global _client
    if _client is None:
        import docker

        _client = docker.from_env(timeout=120, max_pool_size=CLIENT_POOL_SIZE)
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
