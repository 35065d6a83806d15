"""A memory cgroup of its own for each sandbox's solutions: made by the host, handed to the trusted driver.

Why: a solution's memory must be measured by something it can neither reset nor outrun. A cgroup's limit and
peak counter are kept by the kernel; a process cannot leave its cgroup or rewrite its counters unless it may
write the cgroup's files, and the solution (uid 1001, no capabilities) may not. It also keeps solution memory
of every kind (heap, tmpfs and memfd pages it writes, pipe buffers) out of the driver's account, so a
solution can no longer make the OOM killer take the driver.

The contract with the driver (`graders/`): the environment variable `SCALEBLIND_MEMORY_CGROUP` names a
directory that is a cgroup (v1 memory controller, or v2 with the memory controller enabled for children) in
which the driver, root in the container with only SETUID/SETGID, may create child cgroups and write pids into
them. When the host cannot provide one, the variable is absent and the driver falls back to sampling RSS.

Where: `<memory hierarchy>/scaleblind/<pid>.<start ticks>.<random>` (the creator's pid and kernel start
time, so `doctor --clean` can tell a live creator's cgroup from a leftover), or under
`SCALEBLIND_CGROUP_PARENT` when set (a cgroup delegated to a non-root user, on cgroup v2). The host sets the
outer limit and gives the limit files to `nobody`, so not even root in the container can raise them.

cgroup v2 needs more than v1, because a process is in one cgroup for every controller: the container must
share the host's cgroup namespace (`cgroupns=host`; with a private one and the `nsdelegate` mount option the
kernel refuses moves to a cgroup outside the namespace), and a solution moved out of the container's cgroup
also leaves its pids and CPU limits, so the host sets `pids.max` and `cpu.max` here too.
"""

from __future__ import annotations

import contextlib
import logging
import os
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from scaleblind.sandbox.settings import process_start_ticks

PARENT_ENV = "SCALEBLIND_CGROUP_PARENT"  # optional: a delegated cgroup to create ours in
GROUP = "scaleblind"
GUARD_UID = 65534  # `nobody` owns the limit files: root without CAP_DAC_OVERRIDE/CAP_FOWNER reads, never writes
MOUNTINFO = Path("/proc/self/mountinfo")
LOG = logging.getLogger("scaleblind.sandbox")


@dataclass(frozen=True)
class Hierarchy:
    """Where the memory controller is mounted on this host, and which cgroup version it is."""

    version: int
    root: Path


@dataclass(frozen=True)
class Shape:
    """The outer limits of a solutions' cgroup (the driver sets tighter ones per solution)."""

    memory_mb: int
    pids: int = 256
    cpus: float = 1.0


@dataclass
class MemoryCgroup:
    """One solutions' cgroup: the host path and the hierarchy it lives in."""

    path: Path
    hierarchy: Hierarchy
    controllers: tuple[str, ...] = field(default=("memory",))

    @property
    def name(self) -> str:
        return self.path.name


class Unavailable(Exception):
    """This host cannot give solutions a cgroup of their own; the message says why."""


def find_hierarchy(mountinfo: str | None = None) -> Hierarchy | None:
    """The v1 memory hierarchy if one is mounted, else a v2 hierarchy that offers the memory controller."""
    text = MOUNTINFO.read_text() if mountinfo is None else mountinfo
    v2 = None
    for line in text.splitlines():
        fields = line.split()
        if " - " not in line:
            continue
        fstype, options = line.split(" - ", 1)[1].split()[0], line.split(" - ", 1)[1].split()[-1]
        if fstype == "cgroup" and "memory" in options.split(","):
            return Hierarchy(1, Path(fields[4]))
        if fstype == "cgroup2" and v2 is None:
            v2 = Path(fields[4])
    if v2 is not None and "memory" in read(v2 / "cgroup.controllers").split():
        return Hierarchy(2, v2)
    return None


def read(path: Path) -> str:
    try:
        return path.read_text()
    except OSError:
        return ""


def write(path: Path, value: str) -> None:
    with open(path, "w") as handle:
        handle.write(value)


def parent_folder(hierarchy: Hierarchy) -> Path:
    override = os.environ.get(PARENT_ENV)
    return Path(override) if override else hierarchy.root / GROUP


def enable_children(cgroup: Path, wanted: tuple[str, ...]) -> tuple[str, ...]:
    """v2: turn on, for `cgroup`'s children, the wanted controllers it offers; memory is required."""
    offered = read(cgroup / "cgroup.controllers").split()
    if "memory" not in offered:
        raise Unavailable(f"the memory controller is not enabled for {cgroup} (its parent's "
                          "cgroup.subtree_control lacks +memory)")
    chosen = tuple(c for c in wanted if c in offered)
    if not set(chosen) <= set(read(cgroup / "cgroup.subtree_control").split()):
        write(cgroup / "cgroup.subtree_control", " ".join(f"+{c}" for c in chosen))
    return chosen


def v1_limits(shape: Shape) -> dict[str, str]:
    size = str(shape.memory_mb * 1024**2)
    return {"memory.limit_in_bytes": size, "memory.memsw.limit_in_bytes": size}  # memsw: no swap on top


def v2_limits(shape: Shape) -> dict[str, str]:
    return {"memory.max": str(shape.memory_mb * 1024**2), "memory.swap.max": "0",
            "pids.max": str(shape.pids), "cpu.max": f"{int(shape.cpus * 100_000)} 100000"}


# Files root in the container must not change: the outer limits, and (v2) which controllers children get.
GUARDED = {1: ("memory.limit_in_bytes", "memory.memsw.limit_in_bytes", "memory.oom_control",
               "memory.use_hierarchy"),
           2: ("memory.max", "memory.swap.max", "memory.high", "pids.max", "cpu.max", "cgroup.subtree_control")}


def create(shape: Shape) -> MemoryCgroup:
    """Make a fresh solutions' cgroup with its outer limits; raises `Unavailable` with the reason."""
    hierarchy = find_hierarchy()
    if hierarchy is None:
        raise Unavailable("no cgroup hierarchy with the memory controller is mounted on this host")
    parent = parent_folder(hierarchy)
    name = f"{os.getpid()}.{process_start_ticks(os.getpid()) or 0}.{uuid.uuid4().hex[:8]}"
    path = parent / name
    try:
        parent.mkdir(exist_ok=True)
        controllers = enable_children(parent, ("memory", "pids", "cpu")) if hierarchy.version == 2 else ("memory",)
        path.mkdir()
    except PermissionError:
        raise Unavailable(f"no permission to create cgroups in {parent} (uid {os.geteuid()}; run as root, or on "
                          f"cgroup v2 set {PARENT_ENV} to a cgroup delegated to you)") from None
    except OSError as exc:
        raise Unavailable(f"cannot create a cgroup in {parent}: {exc.strerror or exc}") from None
    cgroup = MemoryCgroup(path, hierarchy, controllers)
    try:
        configure(cgroup, shape)
    except (OSError, Unavailable) as exc:
        remove(path)
        raise Unavailable(f"cannot configure the cgroup {path}: {exc}") from None
    return cgroup


def configure(cgroup: MemoryCgroup, shape: Shape) -> None:
    """Set the outer limits, let children get the controllers (v2), then guard the limit files."""
    path, version = cgroup.path, cgroup.hierarchy.version
    if version == 1 and read(path / "memory.use_hierarchy").strip() == "0":
        write(path / "memory.use_hierarchy", "1")  # children count against this limit (always so since 5.x)
    limits = v1_limits(shape) if version == 1 else v2_limits(shape)
    for name, value in limits.items():
        if (path / name).exists():
            write(path / name, value)
        elif name.startswith("memory.") and not name.startswith(("memory.memsw", "memory.swap")):
            raise Unavailable(f"{name} is missing")
    if version == 2:
        cgroup.controllers = enable_children(path, cgroup.controllers)
    for name in GUARDED[version]:
        with contextlib.suppress(FileNotFoundError):
            os.chown(path / name, GUARD_UID, GUARD_UID)


def processes_in(path: Path) -> int:
    """How many processes are in `path` or below it (a folder that vanished holds none)."""
    count = 0
    for base, _, _ in os.walk(path):
        count += len(read(Path(base) / "cgroup.procs").split())
    return count


def remove(path: Path, wait_s: float = 5.0) -> bool:
    """Remove a cgroup and the children the driver made, deepest first, once their processes have exited
    (a killed container's processes may take a moment). True when it is gone."""
    deadline = time.monotonic() + wait_s
    while processes_in(path) and time.monotonic() < deadline:
        time.sleep(0.05)
    folders = sorted((Path(base) for base, _, _ in os.walk(path)), key=lambda p: len(p.parts), reverse=True)
    for folder in folders:
        with contextlib.suppress(FileNotFoundError, OSError):
            folder.rmdir()
    return not path.exists()


def creator_gone(name: str) -> bool | None:
    """For a cgroup named `<pid>.<start ticks>.<random>`: is its creator gone? None for names not ours."""
    parts = name.split(".")
    if len(parts) != 3 or not parts[0].isdigit():
        return None
    return process_start_ticks(int(parts[0])) != parts[1]


def leftovers(in_use: set[str]) -> list[Path]:
    """Our cgroups whose creator is gone and that no existing container names (label `scaleblind.cgroup`)."""
    hierarchy = find_hierarchy()
    if hierarchy is None:
        return []
    parent = parent_folder(hierarchy)
    if not parent.is_dir():
        return []
    return sorted(p for p in parent.iterdir()
                  if p.is_dir() and p.name not in in_use and creator_gone(p.name) is True)


_warned = False


def create_or_warn(shape: Shape) -> MemoryCgroup | None:
    """A solutions' cgroup, or None with one warning per process saying the weaker meter is in use."""
    global _warned
    try:
        return create(shape)
    except Unavailable as exc:
        if not _warned:
            _warned = True
            LOG.warning("no memory cgroup for solutions (%s): memory budgets fall back to sampling peak RSS, "
                        "which a hostile solution can evade; see `scaleblind sandbox doctor`", exc)
        return None
