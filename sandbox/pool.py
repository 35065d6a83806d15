"""The warm pool and this process's container lifecycle.

One container serves one sample at a time; between samples it is reset (every uid-1001 process killed,
scratch/tmp/shm/mqueue/SysV IPC wiped, checked empty) and parked for the next sample of the same shape, or
destroyed when the reset cannot prove it clean. At exit, on SIGTERM/SIGHUP and at task end every container
this process made is removed; what a crashed process left is for `leftovers.py`.
"""

from __future__ import annotations

import atexit
import os
import signal
import threading
from typing import Any

from inspect_ai.util._sandbox.environment import SandboxUnavailableError

from scaleblind.sandbox.container import LIVE, Container
from scaleblind.sandbox.engine import client
from scaleblind.sandbox.image import image_tag
from scaleblind.sandbox.settings import Limits

MAX_IDLE_PER_SHAPE = 4
IDLE: dict[tuple[Limits, str], list[Container]] = {}
POOL_LOCK = threading.Lock()
_BUILD_LOCK = threading.Lock()
_hooks_installed = False


def acquire(limits: Limits, image: str | None = None) -> Container:
    """A clean container of this shape: a warm idle one if any, else a cold new one."""
    image = image or resolve_image()
    with POOL_LOCK:
        idle = IDLE.get((limits, image), [])
        container = idle.pop() if idle else None
    if container is not None:
        return container
    install_cleanup_hooks()
    return Container(client(), limits, image)


def resolve_image() -> str:
    """The image for this process: the current inputs' tag, built on first use when missing
    (set SCALEBLIND_SANDBOX_AUTOBUILD=0 to refuse), then fixed for the rest of the run."""
    import docker.errors

    from scaleblind.sandbox.image import build_image

    with _BUILD_LOCK:
        tag = image_tag()
        try:
            client().images.get(tag)
            return tag
        except docker.errors.ImageNotFound:
            pass
        if os.environ.get("SCALEBLIND_SANDBOX_AUTOBUILD", "1") == "0":
            raise SandboxUnavailableError(f"sandbox image {tag} is not built: run `scaleblind sandbox build`")
        return build_image().tag


def release(container: Container, reuse: bool = True) -> None:
    """Reset and park the container for the next sample, or destroy it when that is not safe."""
    if container.dead_reason:
        LIVE.discard(container)
        return
    problem = container.reset() if reuse and container.age_ok() else "not reusable"
    key = (container.limits, container.image)
    with POOL_LOCK:
        if problem is None and len(IDLE.get(key, [])) < MAX_IDLE_PER_SHAPE:
            IDLE.setdefault(key, []).append(container)
            return
    container.kill(problem or "idle pool full")


def shutdown_all() -> None:
    """Remove every container this process created (atexit, signals, task end)."""
    with POOL_LOCK:
        IDLE.clear()
    for container in list(LIVE):
        container.kill("sandbox shutdown")


def install_cleanup_hooks() -> None:
    """atexit plus SIGTERM/SIGHUP handlers (only where nobody else installed one); Ctrl-C unwinds normally."""
    global _hooks_installed
    if _hooks_installed:
        return
    _hooks_installed = True
    atexit.register(shutdown_all)
    if threading.current_thread() is not threading.main_thread():
        return
    for sig in (signal.SIGTERM, signal.SIGHUP):
        if signal.getsignal(sig) == signal.SIG_DFL:
            signal.signal(sig, _die_cleanly)


def _die_cleanly(signum: int, frame: Any) -> None:
    shutdown_all()
    signal.signal(signum, signal.SIG_DFL)
    os.kill(os.getpid(), signum)
