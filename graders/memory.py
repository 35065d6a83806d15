"""The solution's memory, measured and enforced by the kernel: a memory cgroup of its own per solution process.

`SCALEBLIND_MEMORY_CGROUP` names a cgroup directory (v1 memory controller or v2) in which the driver may create
children: the Docker sandbox makes one per container, a local run as root may be given one. Each solution
process then runs in a child cgroup of its own, joined between fork and exec (before any untrusted code runs):

- its limit is LIMIT_FACTOR x the tier's memory budget (DEFAULT_LIMIT_MB for a tier without one), so a peak
  above the budget is still measured, and the kernel stops a runaway at the limit (an OOM kill is `over_memory`)
  whatever the solution does meanwhile: the driver never has to catch it in time;
- its peak counter (v1 `memory.max_usage_in_bytes`, v2 `memory.peak`) counts every page charged to the
  solution: heap, memfd and tmpfs files it writes (/scratch, /tmp, /dev/shm), pipe buffers, page tables. Its
  files belong to root and the solution runs as another uid, so it can neither reset the counter nor leave;
- swap is off for it (v1 `memory.memsw.limit_in_bytes` = the limit, v2 `memory.swap.max` = 0);
- page cache is charged to whoever reads a file first. So that a solution's imports cost the same on a fresh
  container as on a warm one, the driver imports the standard modules (and numpy/pandas when the code names
  them) once per job in a process of its own cgroup first (`warm_imports`): the solution then maps pages
  already charged elsewhere. Under memory pressure the kernel may evict them, and a re-read is charged to the
  solution: a small, documented non-determinism.

Without the variable the meter falls back to the process's VmHWM (peak resident set), read by the driver
while it waits and at the end. That is weaker: it misses memory the solution holds outside its mappings
(memfd and tmpfs files it does not map), and only the audit hook stops it from resetting the mark through
/proc/self/clear_refs. Each tier record says which meter measured it (`memory_meter`).
Standard library only (runs in the sandbox).
"""
import itertools
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Protocol

from .errors import HarnessError

CGROUP_ENV = "SCALEBLIND_MEMORY_CGROUP"
LIMIT_FACTOR = 2
DEFAULT_LIMIT_MB = 1024
MB = 1024 * 1024
_names = itertools.count(1)


class Meter(Protocol):
    name: str

    def join(self) -> None:
        """Runs in the solution's process between fork and exec."""

    def peak_mb(self, pid: int) -> float: ...
    def oom_killed(self) -> bool: ...
    def close(self) -> None: ...


def limit_mb(budget_mb: float | None) -> float:
    return budget_mb * LIMIT_FACTOR if budget_mb else DEFAULT_LIMIT_MB


def open_meter(label: str, budget_mb: float | None) -> Meter:
    """The cgroup meter when the sandbox provides a cgroup; else the VmHWM fallback."""
    base = os.environ.get(CGROUP_ENV)
    if not base:
        return VmHwmMeter()
    try:
        return CgroupMeter(Path(base), label, int(limit_mb(budget_mb) * MB))
    except OSError as exc:
        raise HarnessError(f"cannot make a memory cgroup under {base}: {exc}") from None


class VmHwmMeter:
    """Fallback: the kernel's high-water mark of the process's resident set, sampled from outside."""

    name = "vmhwm"

    def __init__(self) -> None:
        self.peak = 0.0

    def join(self) -> None:
        pass

    def peak_mb(self, pid: int) -> float:
        self.peak = max(self.peak, vmhwm_mb(pid))
        return self.peak

    def oom_killed(self) -> bool:
        return False

    def close(self) -> None:
        pass


def vmhwm_mb(pid: int) -> float:
    """Peak RSS of a live process. Not `ru_maxrss`: after fork+exec it still counts the parent's memory."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024.0
    except OSError:
        pass
    return 0.0


class CgroupMeter:
    """A child cgroup with its own limit and peak counter (v1 or v2, chosen by which files exist)."""

    name = "cgroup"

    def __init__(self, base: Path, label: str, limit_bytes: int):
        self.v2 = (base / "cgroup.controllers").exists()
        if self.v2 and "memory" not in (base / "cgroup.subtree_control").read_text().split():
            (base / "cgroup.subtree_control").write_text("+memory")  # children get their own memory files
        self.path = base / f"{label}-{os.getpid()}-{next(_names)}"
        self.path.mkdir()
        self.procs = str(self.path / "cgroup.procs")
        self.peak = 0.0
        try:
            if self.v2:
                self._write("memory.max", limit_bytes)
                self._write("memory.swap.max", 0, optional=True)
            else:
                self._write("memory.limit_in_bytes", limit_bytes)
                self._write("memory.memsw.limit_in_bytes", limit_bytes, optional=True)
        except OSError:
            self.path.rmdir()
            raise

    def _write(self, name: str, value: int, optional: bool = False) -> None:
        path = self.path / name
        if optional and not path.exists():
            return
        path.write_text(str(value))

    def _read(self, name: str) -> str:
        return (self.path / name).read_text()

    def join(self) -> None:
        with open(self.procs, "w") as handle:
            handle.write(str(os.getpid()))

    def peak_mb(self, pid: int = 0) -> float:
        """The kernel's peak for the cgroup (v2 kernels before 5.19 lack memory.peak: then the current usage,
        sampled)."""
        try:
            if not self.v2:
                value = int(self._read("memory.max_usage_in_bytes"))
            elif (self.path / "memory.peak").exists():
                value = int(self._read("memory.peak"))
            else:
                value = int(self._read("memory.current"))
        except (OSError, ValueError):
            return self.peak
        self.peak = max(self.peak, value / MB)
        return self.peak

    def oom_killed(self) -> bool:
        """Did the kernel kill a process of this cgroup at its limit?"""
        try:
            text = self._read("memory.events" if self.v2 else "memory.oom_control")
        except OSError:
            return False
        counts = dict(line.split() for line in text.splitlines() if len(line.split()) == 2)
        if "oom_kill" in counts:
            return int(counts["oom_kill"]) > 0
        return not self.v2 and int(self._read("memory.failcnt") or 0) > 0  # kernels before 4.13

    def close(self, wait_s: float = 5.0) -> None:
        """Remove the cgroup once its processes are gone: the caller has killed the solution; anything else
        still in it (which the driver may signal: outside the sandbox's uid split) is killed here."""
        deadline = time.monotonic() + wait_s
        while True:
            self._kill_members()
            try:
                self.path.rmdir()
                return
            except FileNotFoundError:
                return
            except OSError as exc:
                if time.monotonic() > deadline:
                    raise HarnessError(f"cannot remove the memory cgroup {self.path}: {exc}") from None
                time.sleep(0.01)


    def _kill_members(self) -> None:
        try:
            pids = [int(line) for line in self._read("cgroup.procs").split()]
        except (OSError, ValueError):
            return
        for pid in pids:
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass


# Modules a solution commonly imports, besides those the bootstrap imports before it runs any solution code.
COMMON_MODULES = ("asyncio", "bisect", "collections", "csv", "ctypes", "datetime", "decimal", "heapq", "inspect",
                  "io", "itertools", "json", "math", "re", "statistics", "functools", "operator", "dataclasses",
                  "typing", "string", "hashlib", "random", "array", "struct", "fractions", "calendar", "zoneinfo",
                  "textwrap", "copy", "enum", "sqlite3", "traceback")
HEAVY_MODULES = ("numpy", "pandas")


def modules_to_warm(code: str) -> tuple[str, ...]:
    """numpy and pandas only when the code names them (their import costs the driver half a second)."""
    return COMMON_MODULES + tuple(name for name in HEAVY_MODULES if name in code)


def warm_imports(modules: tuple[str, ...], sys_path: list[str], python: str = sys.executable) -> None:
    """Import `modules` once in a process of the driver's cgroup, so their files are in the page cache charged
    there, not to the first solution that imports them. Best effort: a module that fails to import is skipped."""
    code = ("import sys\nsys.path[:] = [p for p in sys.path if p] + %r\n"
            "for name in %r:\n    try:\n        __import__(name)\n    except Exception:\n        pass\n"
            % (sys_path, modules))
    subprocess.run([python, "-I", "-S", "-B", "-c", code], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL, env={"PATH": "/usr/bin:/bin", "OPENBLAS_NUM_THREADS": "1"},
                   cwd="/", timeout=60, check=False)
