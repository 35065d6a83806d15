"""Fixtures for the Docker sandbox tests: skip cleanly without an engine, share one warm container."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from typing import Any, Iterator

import pytest


def engine_answers() -> bool:
    try:
        from scaleblind.sandbox.engine import docker_available

        return docker_available()
    except ImportError:
        return False


@pytest.fixture(scope="session")
def sandbox_image() -> str:
    """The current image tag, building it if needed (a no-op when CI already built it)."""
    if not engine_answers():
        pytest.skip("no Docker Engine answers on this host")
    from scaleblind.sandbox.image import build_image

    return build_image().tag


@pytest.fixture(scope="module")
def shared(sandbox_image: str) -> Iterator[Any]:
    """One container for the tests whose hostile code leaves it reusable (reset between tests)."""
    from scaleblind.sandbox.docker import DockerSandboxEnvironment
    from scaleblind.sandbox.pool import acquire, release
    from scaleblind.sandbox.settings import Limits

    container = acquire(Limits(memory_mb=256, cpus=1.0, pids=64, timeout_s=60), sandbox_image)
    yield DockerSandboxEnvironment(container)
    release(container, reuse=False)


@pytest.fixture(autouse=True)
def host_unharmed(tmp_path: Path) -> Iterator[None]:
    """Every sandbox test ends with the host intact: a sentinel file unchanged, the host still able to fork."""
    sentinel = tmp_path / "sentinel"
    sentinel.write_text("host data")
    yield
    assert sentinel.read_text() == "host data"
    assert subprocess.run(["true"]).returncode == 0
    assert os.getloadavg()[0] < 64

