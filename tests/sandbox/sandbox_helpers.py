"""Helpers shared by the sandbox tests (plain functions, imported by name)."""

from __future__ import annotations

from typing import Any


def sandbox_containers() -> list[Any]:
    """Containers this test process created and that still exist."""
    import docker

    from scaleblind.sandbox.settings import RUN_ID

    client = docker.from_env()
    return client.containers.list(all=True, filters={"label": f"scaleblind.run={RUN_ID}"}, ignore_removed=True)


def container_gone(container_id: str) -> bool:
    """True once the engine no longer has this container (auto_remove may take a moment)."""
    import time

    import docker
    import docker.errors

    client = docker.from_env()
    for _ in range(50):
        try:
            client.containers.get(container_id)
        except docker.errors.NotFound:
            return True
        time.sleep(0.1)
    return False
