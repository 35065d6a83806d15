"""What a sandbox container is: its resource shape, its hardening options and the labels that find it again.

Pure settings, no engine contact: `container_kwargs` is the one place every hardening option is set, so a
test can check them all without Docker.

Who runs as root: `exec` defaults to uid 0 inside the container because the trusted driver must drop each
solution process to `SCALEBLIND_SOLUTION_UID` (1001). That root has only CAP_SETUID and CAP_SETGID, cannot
gain more (no-new-privileges), and sees a read-only root filesystem. Untrusted code never runs as root.
"""

from __future__ import annotations

import json
import os
import socket
import time
import uuid
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

SCRATCH = "/scratch"
SOLUTION_UID = 1001
LABEL = "scaleblind.sandbox"
CGROUP_LABEL = "scaleblind.cgroup"  # the name of the container's solutions' cgroup (`memory_cgroup.py`)
RUN_ID = uuid.uuid4().hex[:12]  # this process's run: tests find the containers they made by it
MEMORY_CGROUP_ENV = "SCALEBLIND_MEMORY_CGROUP"  # tells the driver where to put each solution
MEMORY_CGROUP_MOUNT = "/sandbox-cgroup"  # where the container sees its solutions' cgroup
SECCOMP_PROFILE = Path(__file__).resolve().parent / "seccomp.json"  # our own allow-list (see sandbox/README.md)


@dataclass(frozen=True)
class Limits:
    """Resource shape of a container; containers are only reused for samples with the same shape.

    `memory_mb` holds the trusted driver (the tier's world, the reference run in its memory, the platform:
    at most 350 MB in `benchmarks/driver_memory.py`, so about 2x headroom). Solutions run in a cgroup of
    their own capped at `solution_memory_mb` (the driver sets each solution's own limit from the task's
    budget, at most 512 MB). Where the host cannot make that cgroup, the container holds both."""

    memory_mb: int = 768
    solution_memory_mb: int = 1024
    cpus: float = 1.0
    pids: int = 256
    timeout_s: int = 600
    tmp_mb: int = 64
    scratch_mb: int = 256
    lifetime_s: int = 4 * 3600  # PID 1 is `sleep lifetime_s`: even an orphaned container ends itself


def output_limit() -> int:
    """Per-stream exec output cap, honouring inspect's own environment variable."""
    return int(os.environ.get("INSPECT_SANDBOX_MAX_EXEC_OUTPUT_SIZE", 10 * 1024**2))


def read_limit() -> int:
    return int(os.environ.get("INSPECT_SANDBOX_MAX_READ_FILE_SIZE", 100 * 1024**2))


def resolve_path(path: str) -> str:
    """Relative paths are relative to the scratch dir, the per-sample working directory."""
    return str(PurePosixPath(SCRATCH) / path) if not path.startswith("/") else path


def process_start_ticks(pid: int) -> str | None:
    """Kernel start time of a pid: with the pid it tells a live creator from a recycled pid."""
    try:
        stat = open(f"/proc/{pid}/stat").read()
    except OSError:
        return None
    return stat.rsplit(")", 1)[1].split()[19]


def creator_labels(limits: Limits) -> dict[str, str]:
    """Labels that let `doctor --clean` find leftovers and decide whether their creator is gone."""
    return {
        LABEL: "1",
        "scaleblind.run": RUN_ID,
        "scaleblind.pid": str(os.getpid()),
        "scaleblind.pid_start": process_start_ticks(os.getpid()) or "",
        "scaleblind.host": socket.gethostname(),
        "scaleblind.expires": str(int(time.time()) + limits.lifetime_s),
    }


def seccomp_option() -> str:
    """`seccomp=<profile>` for `security_opt`: the engine takes the profile's text, not a path."""
    return "seccomp=" + json.dumps(json.loads(SECCOMP_PROFILE.read_text()), separators=(",", ":"))


def container_kwargs(image: str, limits: Limits, cgroup: Path | None = None) -> dict[str, Any]:
    """The hardening, in one place: every option here is on by default and covered by tests.

    `cgroup` is the host path of the solutions' memory cgroup (`memory_cgroup.py`), or None when the host
    could not make one; then the container's own limit must hold the solution too."""
    tmpfs_opts = "rw,noexec,nosuid,nodev,mode=1777"
    memory = f"{limits.memory_mb if cgroup else limits.memory_mb + limits.solution_memory_mb}m"
    kwargs = dict(
        image=image,
        command=["/bin/sleep", str(limits.lifetime_s)],
        auto_remove=True,
        init=True,
        network_mode="none",
        mem_limit=memory,
        memswap_limit=memory,  # no swap on top of the limit
        nano_cpus=int(limits.cpus * 1e9),
        pids_limit=limits.pids,
        read_only=True,
        tmpfs={"/tmp": f"{tmpfs_opts},size={limits.tmp_mb}m",
               SCRATCH: f"{tmpfs_opts},size={limits.scratch_mb}m",
               "/sys/fs/cgroup": "ro,nosuid,nodev,noexec,size=4k,mode=555"},  # hide the host's cgroup tree
        shm_size=16 * 1024**2,
        cap_drop=["ALL"],
        cap_add=["SETUID", "SETGID"],
        security_opt=["no-new-privileges", seccomp_option()],
        ulimits=[{"Name": "core", "Soft": 0, "Hard": 0}],
        ipc_mode="private",
        working_dir=SCRATCH,
        environment={"SCALEBLIND_SCRATCH": SCRATCH, "SCALEBLIND_SOLUTION_UID": str(SOLUTION_UID)},
        labels=creator_labels(limits),
        hostname="sandbox",
    )
    if cgroup is not None:
        kwargs["volumes"] = {str(cgroup): {"bind": MEMORY_CGROUP_MOUNT, "mode": "rw"}}
        kwargs["environment"][MEMORY_CGROUP_ENV] = MEMORY_CGROUP_MOUNT
        kwargs["labels"][CGROUP_LABEL] = cgroup.name
        kwargs["cgroupns"] = "host"  # cgroup v2: moves into a cgroup outside a private namespace are refused
    return kwargs
