"""Starting, watching and measuring the untrusted solution process from outside (driver side)."""
import ctypes
import ctypes.util
import json
import os
import resource
import select
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

SOLUTION_LIB = Path(os.environ.get("SCALEBLIND_SOLUTION_LIB", Path(__file__).with_name("solution_lib")))
BOOTSTRAP = SOLUTION_LIB / "sb_bootstrap.py"
MAX_LINE_BYTES = 256 * 1024 * 1024       # a message longer than this is a protocol violation
ADDRESS_SPACE_BYTES = 8 * 1024 ** 3      # backstop only; the memory budget is checked on peak RSS
MAX_FILE_BYTES = 64 * 1024 ** 2          # files the solution writes in its scratch dir
POLL_S = 0.02

_libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)


def cpu_ns(pid: int) -> int:
    """CPU time (user + system, all threads) of another process, in ns, read through its CPU-time clock."""
    clock_id = ctypes.c_int()
    if _libc.clock_getcpuclockid(pid, ctypes.byref(clock_id)) != 0:
        return _cpu_ns_from_proc(pid)
    try:
        return time.clock_gettime_ns(clock_id.value)
    except OSError:
        return _cpu_ns_from_proc(pid)


def _cpu_ns_from_proc(pid: int) -> int:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0
    ticks = int(fields[11]) + int(fields[12])
    return ticks * 1_000_000_000 // os.sysconf("SC_CLK_TCK")


def rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024.0
    except OSError:
        pass
    return 0.0


def solution_uid() -> int | None:
    """The uid untrusted code runs as: set in the sandbox image; None on a host (no privilege drop)."""
    value = os.environ.get("SCALEBLIND_SOLUTION_UID")
    return int(value) if value and os.geteuid() == 0 else None


def python_path_for_solution() -> list[str]:
    """Where the solution may import third-party packages from (numpy, pandas), without site hooks."""
    import sysconfig
    paths = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"], "/usr/lib/python3/dist-packages"}
    return sorted(p for p in paths if os.path.isdir(p))


def _limits(address_bytes: int):
    def apply() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (address_bytes, address_bytes))
        resource.setrlimit(resource.RLIMIT_FSIZE, (MAX_FILE_BYTES, MAX_FILE_BYTES))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        if os.getuid() != 0 and os.environ.get("SCALEBLIND_SOLUTION_UID"):
            # A dedicated uid: one process, one thread. Fork bombs fail; no child escapes measurement.
            resource.setrlimit(resource.RLIMIT_NPROC, (1, 1))
        os.setsid()
    return apply


@dataclass
class Exit:
    returncode: int | None


class SolutionProcess:
    """One run of the solution: messages in and out over two pipes, stdout/stderr to small files."""

    def __init__(self, config: dict, scratch: Path, python: str = sys.executable):
        to_child_r, self._to_child = os.pipe()
        self._from_child, from_child_w = os.pipe()
        uid = solution_uid()
        config = {**config, "fd_in": to_child_r, "fd_out": from_child_w}
        self._log = open(scratch.parent / f"{scratch.name}.log", "wb")
        env = {"SB_CONFIG": json.dumps(config), "PATH": "/usr/bin:/bin", "OPENBLAS_NUM_THREADS": "1",
               "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "HOME": str(scratch), "LANG": "C.UTF-8",
               "PYTHONHASHSEED": "0"}
        self.proc = subprocess.Popen(
            [python, "-I", "-S", "-B", str(BOOTSTRAP)], stdin=subprocess.DEVNULL, stdout=self._log,
            stderr=self._log, pass_fds=(to_child_r, from_child_w), env=env, cwd=str(scratch),
            user=uid, group=uid, extra_groups=[] if uid is not None else None,
            preexec_fn=_limits(ADDRESS_SPACE_BYTES), close_fds=True)
        os.close(to_child_r)
        os.close(from_child_w)
        self._buffer = b""
        self._exit: Exit | None = None
        self.peak_memory_mb = 0.0

    def sample_memory(self) -> float:
        """Peak RSS so far, from the kernel's high-water mark (VmHWM).

        Not `ru_maxrss`: after fork+exec it still counts the driver's memory at fork time."""
        self.peak_memory_mb = max(self.peak_memory_mb, rss_mb(self.proc.pid))
        return self.peak_memory_mb

    @property
    def pid(self) -> int:
        return self.proc.pid

    def send(self, message: dict) -> bool:
        data = json.dumps(message, separators=(",", ":")).encode() + b"\n"
        try:
            view = memoryview(data)
            while view:
                written = os.write(self._to_child, view[:1 << 20])
                view = view[written:]
            return True
        except (BrokenPipeError, OSError):
            return False

    def poll_message(self, timeout_s: float) -> dict | None | str:
        """A message, None if nothing arrived yet, or "eof"/"garbage" when the channel is broken."""
        while b"\n" not in self._buffer:
            ready, _, _ = select.select([self._from_child], [], [], timeout_s)
            if not ready:
                return None
            chunk = os.read(self._from_child, 1 << 20)
            if not chunk:
                return "eof"
            self._buffer += chunk
            if len(self._buffer) > MAX_LINE_BYTES:
                return "garbage"
        line, self._buffer = self._buffer.split(b"\n", 1)
        try:
            message = json.loads(line)
        except ValueError:
            return "garbage"
        return message if isinstance(message, dict) else "garbage"

    def finish(self, grace_s: float = 2.0) -> Exit:
        """Ask the process to exit, kill it if it will not, and read its peak memory from the kernel."""
        if self._exit is None:
            self.sample_memory()
            self.send({"op": "exit"})
            deadline = time.monotonic() + grace_s
            self._exit = self._reap(os.WNOHANG)
            while self._exit is None and time.monotonic() < deadline:
                time.sleep(0.005)
                self._exit = self._reap(os.WNOHANG)
            if self._exit is None:
                self.kill()
                self._exit = self._reap(0)
            for fd in (self._to_child, self._from_child):
                try:
                    os.close(fd)
                except OSError:
                    pass
            self._log.close()
        return self._exit

    def kill(self) -> None:
        """SIGKILL the solution (and anything it started). Never `Popen.poll()`: reaping goes through wait4."""
        if self.proc.returncode is None:
            uid = solution_uid()
            if uid is not None:
                kill_all_of_uid(uid)
                return
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
            try:
                os.kill(self.proc.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass

    def _reap(self, flags: int) -> Exit | None:
        """Collect the exit status; None if still running (WNOHANG)."""
        try:
            pid, status, _ = os.wait4(self.proc.pid, flags)
        except ChildProcessError:
            return Exit(self.proc.returncode)
        if pid == 0:
            return None
        self.proc.returncode = os.waitstatus_to_exitcode(status)
        return Exit(self.proc.returncode)

    def output_tail(self, limit: int = 2000) -> str:
        path = Path(self._log.name)
        try:
            with open(path, "rb") as handle:
                handle.seek(max(0, path.stat().st_size - limit))
                return handle.read().decode(errors="replace")
        except OSError:
            return ""


def kill_all_of_uid(uid: int) -> None:
    """Kill every process of the solution uid from a child that becomes that uid.

    The sandbox's root holds no CAP_KILL, so it cannot signal another uid itself; a process of the same uid can.
    """
    pid = os.fork()
    if pid == 0:  # pragma: no cover - runs in the forked child
        try:
            os.setgroups([])
            os.setgid(uid)
            os.setuid(uid)
            os.kill(-1, signal.SIGKILL)  # every process this uid may signal, except this one
        finally:
            os._exit(0)
    os.waitpid(pid, 0)


def run_calibration(python: str = sys.executable, runs: int = 3) -> list[float]:
    """CPU ms of the calibration workload, in fresh processes started like the solution."""
    from .calibration import WORKLOAD
    uid = solution_uid()
    results = []
    for _ in range(runs):
        proc = subprocess.Popen([python, "-I", "-S", "-B", "-c", WORKLOAD], stdin=subprocess.DEVNULL,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env={"PATH": "/usr/bin:/bin"},
                                cwd="/", user=uid, group=uid, extra_groups=[] if uid is not None else None)
        _, _, usage = os.wait4(proc.pid, 0)
        proc.returncode = 0
        results.append((usage.ru_utime + usage.ru_stime) * 1000.0)
    return results
