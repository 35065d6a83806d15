"""What dead runs left behind: labelled sandbox containers whose creator is gone, and the solutions' memory
cgroups no container and no live process owns; found and removed.

A running grader removes its own containers (`pool.shutdown_all`); this is for the ones a SIGKILL, a power
cut or a crashed interpreter left (`scaleblind sandbox doctor --clean`, inspect's `sandbox cleanup`).
"""

from __future__ import annotations

import socket
import time
from pathlib import Path
from typing import Any

from scaleblind.sandbox import memory_cgroup
from scaleblind.sandbox.engine import probe_client
from scaleblind.sandbox.settings import CGROUP_LABEL, LABEL, process_start_ticks


def creator_gone(labels: dict[str, str]) -> bool:
    """A leftover is safe to remove when it expired, or its creator on this host is no longer running."""
    if int(labels.get("scaleblind.expires", "0") or 0) < time.time():
        return True
    if labels.get("scaleblind.host") != socket.gethostname():
        return False
    pid = int(labels.get("scaleblind.pid", "0") or 0)
    return process_start_ticks(pid) != labels.get("scaleblind.pid_start")


def leftovers(client: Any) -> list[Any]:
    containers = client.containers.list(all=True, filters={"label": f"{LABEL}=1"})
    return [c for c in containers if creator_gone(c.labels)]


def leftover_cgroups(client: Any) -> list[Path]:
    """Solutions' cgroups whose creator is gone and that no existing container still mounts."""
    containers = client.containers.list(all=True, filters={"label": CGROUP_LABEL})
    return memory_cgroup.leftovers({c.labels.get(CGROUP_LABEL, "") for c in containers})


def remove_leftovers(client: Any = None) -> list[str]:
    """Remove labelled sandbox containers whose creator died, then the cgroups nothing owns any more;
    returns the containers' short ids and the cgroups' names."""
    import docker.errors

    client = client or probe_client()
    removed = []
    for container in leftovers(client):
        try:
            container.remove(force=True)
        except docker.errors.NotFound:
            pass
        removed.append(container.short_id)
    for path in leftover_cgroups(client):
        if memory_cgroup.remove(path, wait_s=1.0):
            removed.append(path.name)
    return removed
