"""Starting, watching and measuring the untrusted solution process from outside (driver side).

The driver never blocks on the solution: both pipe ends it holds are non-blocking, a write that the solution
does not read waits in short slices that let the driver enforce its deadlines, and a read takes what is there,
finds message ends in the new bytes only (linear in the message size) and returns between slices.
"""
import ctypes
import ctypes.util
import fcntl
import json
import os
import resource
import select
import shutil
import signal
import stat
import subprocess
import sys
import time
from collections import deque
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from .errors import HarnessError
from .memory import Meter, VmHwmMeter
from .messages import MAX_MESSAGE_BYTES

SOLUTION_LIB = Path(os.environ.get("SCALEBLIND_SOLUTION_LIB", Path(__file__).with_name("solution_lib")))
BOOTSTRAP = SOLUTION_LIB / "sb_bootstrap.py"
ADDRESS_SPACE_BYTES = 8 * 1024 ** 3      # backstop only; memory is measured by the meter (memory.py)
MAX_FILE_BYTES = 64 * 1024 ** 2          # files the solution writes in its scratch dir
POLL_S = 0.02
PIPE_BYTES = 1 << 20                     # pipe buffer size asked for (the kernel's default maximum)
IO_CHUNK = 1 << 20
TEMP_ROOTS = ("/tmp", "/dev/shm", "/dev/mqueue")  # shared writable places a sandboxed solution may leave files in

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


def solution_uid() -> int | None:
    """The uid untrusted code runs as: set in the sandbox image; None on a host (no privilege drop)."""
    value = os.environ.get("SCALEBLIND_SOLUTION_UID")
    return int(value) if value and os.geteuid() == 0 else None


def python_path_for_solution() -> list[str]:
    """Where the solution may import third-party packages from (numpy, pandas), without site hooks."""
    import sysconfig
    paths = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"], "/usr/lib/python3/dist-packages"}
    return sorted(p for p in paths if os.path.isdir(p))


def _child_setup(meter: Meter, uid: int | None) -> Callable[[], None]:
    """Runs in the child between fork and exec, in this order: limits, the memory cgroup (needs root, so before
    the privilege drop), then the drop to the solution uid. Nothing untrusted has run yet."""
    def apply() -> None:
        os.setsid()
        resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE_BYTES, ADDRESS_SPACE_BYTES))
        resource.setrlimit(resource.RLIMIT_FSIZE, (MAX_FILE_BYTES, MAX_FILE_BYTES))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        meter.join()
        if uid is not None:
            os.setgroups([])
            os.setgid(uid)
            os.setuid(uid)
            # A dedicated uid: one process, one thread. Fork bombs fail; no child escapes measurement.
            resource.setrlimit(resource.RLIMIT_NPROC, (1, 1))
    return apply


def _pipe() -> tuple[int, int]:
    read_end, write_end = os.pipe()
    try:
        fcntl.fcntl(write_end, fcntl.F_SETPIPE_SZ, PIPE_BYTES)
    except OSError:
        pass  # a smaller buffer only costs more round trips
    return read_end, write_end


def encode(message: dict) -> bytes:
    """One message line. Raises TypeError for a value JSON cannot carry (e.g. a BLOB from the database)."""
    return json.dumps(message, separators=(",", ":")).encode() + b"\n"


@dataclass
class Exit:
    returncode: int | None


class SolutionProcess:
    """One run of the solution: messages in and out over two pipes, stdout/stderr to a small file.

    `poll_message` returns a decoded message, None when none is complete yet, or a str saying why the channel
    is broken (the process exited, a message was not JSON or was too long)."""

    def __init__(self, config: dict, scratch: Path, meter: Meter | None = None, python: str = sys.executable):
        to_child_r, self._to_child = _pipe()
        self._from_child, from_child_w = _pipe()
        self.meter = meter or VmHwmMeter()
        config = {**config, "fd_in": to_child_r, "fd_out": from_child_w}
        self._log = open(scratch.parent / f"{scratch.name}.log", "wb")
        env = {"SB_CONFIG": json.dumps(config), "PATH": "/usr/bin:/bin", "OPENBLAS_NUM_THREADS": "1",
               "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "HOME": str(scratch), "TMPDIR": str(scratch),
               "LANG": "C.UTF-8", "PYTHONHASHSEED": "0"}
        try:
            self.proc = subprocess.Popen(
                [python, "-I", "-S", "-B", str(BOOTSTRAP)], stdin=subprocess.DEVNULL, stdout=self._log,
                stderr=self._log, pass_fds=(to_child_r, from_child_w), env=env, cwd=str(scratch),
                preexec_fn=_child_setup(self.meter, solution_uid()), close_fds=True)
        except (OSError, subprocess.SubprocessError) as exc:
            for fd in (to_child_r, from_child_w, self._to_child, self._from_child):
                os.close(fd)
            self._log.close()
            raise HarnessError(f"cannot start the solution process: {exc}") from None
        os.close(to_child_r)
        os.close(from_child_w)
        for fd in (self._to_child, self._from_child):
            os.set_blocking(fd, False)
        self._partial: list[bytes] = []
        self._partial_bytes = 0
        self._lines: deque[bytes] = deque()
        self._exit: Exit | None = None
        self.peak_memory_mb = 0.0

    @property
    def pid(self) -> int:
        return self.proc.pid

    def sample_memory(self) -> float:
        """Peak memory so far, from the meter (the kernel's counter, never the solution's word)."""
        self.peak_memory_mb = max(self.peak_memory_mb, self.meter.peak_mb(self.proc.pid))
        return self.peak_memory_mb

    def send(self, line: bytes, wait: Callable[[], bool]) -> bool:
        """Write one encoded message (`encode`) without ever blocking. While the solution does not read, `wait()`
        runs every POLL_S: it enforces the driver's deadlines and returns False once the tier is decided.
        False: not delivered."""
        data = memoryview(line)
        next_check = time.monotonic() + POLL_S
        while data:
            try:
                data = data[os.write(self._to_child, data[:IO_CHUNK]):]
                if not data or time.monotonic() < next_check:
                    continue
            except BlockingIOError:
                select.select([], [self._to_child], [], POLL_S)
                if time.monotonic() < next_check:
                    continue
            except OSError:  # the solution exited
                return False
            if not wait():
                return False
            next_check = time.monotonic() + POLL_S
        return True

    def poll_message(self, timeout_s: float) -> dict | None | str:
        """The next message; None if none is complete within `timeout_s`; a str when the channel is broken."""
        deadline = time.monotonic() + timeout_s
        while not self._lines:
            ready, _, _ = select.select([self._from_child], [], [], max(0.0, deadline - time.monotonic()))
            if not ready:
                return None
            try:
                chunk = os.read(self._from_child, IO_CHUNK)
            except BlockingIOError:
                continue
            if not chunk:
                return "the solution process exited"
            self._take(chunk)
            if self._partial_bytes > MAX_MESSAGE_BYTES:
                return f"a message is longer than {MAX_MESSAGE_BYTES // 1024 ** 2} MB"
            if not self._lines and time.monotonic() > deadline:
                return None  # a message still arriving: the caller checks its deadlines between slices
        line = self._lines.popleft()
        try:
            message = json.loads(line)
        except (ValueError, RecursionError) as exc:
            return f"a message is not JSON ({type(exc).__name__})"
        return message if isinstance(message, dict) else "a message is not a JSON object"

    def _take(self, chunk: bytes) -> None:
        """Split complete lines off; each byte is searched once."""
        start = 0
        while (end := chunk.find(b"\n", start)) >= 0:
            self._partial.append(chunk[start:end])
            self._lines.append(b"".join(self._partial))
            self._partial, self._partial_bytes = [], 0
            start = end + 1
        if start < len(chunk):
            self._partial.append(chunk[start:])
            self._partial_bytes += len(chunk) - start

    def finish(self, grace_s: float = 2.0) -> Exit:
        """Ask the process to exit, kill it if it will not, and read its peak memory from the meter."""
        if self._exit is None:
            self.sample_memory()
            try:
                os.write(self._to_child, b'{"op":"exit"}\n')
            except OSError:
                pass  # pipe full or closed: the kill below ends it
            deadline = time.monotonic() + grace_s
            self._exit = self._reap(os.WNOHANG)
            while self._exit is None and time.monotonic() < deadline:
                time.sleep(0.005)
                self._exit = self._reap(os.WNOHANG)
            if self._exit is None:
                self.kill()
                self._exit = self._reap(0)
            self.sample_memory()
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


def as_uid(uid: int, work: Callable[[], None]) -> None:
    """Run `work` in a forked child that becomes `uid`: the sandbox's root holds no CAP_KILL nor
    CAP_DAC_OVERRIDE, so it can neither signal another uid's processes nor delete its files; that uid can."""
    pid = os.fork()
    if pid == 0:  # pragma: no cover - runs in the forked child
        code = 1
        try:
            os.setgroups([])
            os.setgid(uid)
            os.setuid(uid)
            work()
            code = 0
        finally:
            os._exit(code)
    os.waitpid(pid, 0)


def kill_all_of_uid(uid: int) -> None:
    """Kill every process of the solution uid (from a process of that uid)."""
    as_uid(uid, _kill_every_other)


def _kill_every_other() -> None:
    try:
        os.kill(-1, signal.SIGKILL)  # every process this uid may signal, except this one
    except ProcessLookupError:
        pass


def reset_scratch(scratch: Path) -> None:
    """Leave nothing of a tier behind, whatever the solution did: its processes, its scratch dir (0700 dirs,
    files up to a full tmpfs) and, in the sandbox, its files in /tmp, /dev/shm and /dev/mqueue. Cleans as the
    solution uid, then checks: a leftover is our failure (HarnessError), never the next tier's problem."""
    uid = solution_uid()
    if uid is not None:
        as_uid(uid, lambda: _remove_all_of(uid, scratch))
    remove_tree(scratch)
    leftovers = [str(scratch)] if os.path.lexists(scratch) else []
    if uid is not None:
        leftovers += [path for root in TEMP_ROOTS for path in _owned_by(uid, root)]
    if leftovers:
        raise HarnessError(f"the scratch space could not be reset; left: {', '.join(leftovers[:5])}")


def _remove_all_of(uid: int, scratch: Path) -> None:
    """(As `uid`) kill its processes, empty the scratch dir, delete what it owns in the shared temp places."""
    _kill_every_other()
    try:
        entries = [scratch / name for name in os.listdir(scratch)]
    except OSError:
        entries = []
    for path in [*entries, *(Path(p) for root in TEMP_ROOTS for p in _owned_by(uid, root))]:
        remove_tree(path)


def _owned_by(uid: int, root: str) -> list[str]:
    """The top-most entries under `root` owned by `uid`."""
    found = []
    for base, dirs, files in os.walk(root):
        for name in [*dirs, *files]:
            path = os.path.join(base, name)
            try:
                owned = os.lstat(path).st_uid == uid
            except OSError:
                continue
            if owned:
                found.append(path)
                if name in dirs:
                    dirs.remove(name)
    return found


def remove_tree(path: Path) -> None:
    """Delete a file or a tree, whatever the modes of the directories this process owns in it (a solution may
    leave 0000 directories)."""
    if not os.path.lexists(path):
        return
    if os.path.islink(path) or not os.path.isdir(path):
        try:
            os.unlink(path)
        except FileNotFoundError:
            pass
        return
    _make_own_dirs_writable(str(path))
    shutil.rmtree(path, ignore_errors=True)


def _make_own_dirs_writable(root: str) -> None:
    """chmod 0700 every directory this process owns under `root` whose owner bits lack rwx, top down, so the
    walk can enter it and its entries can be deleted."""
    me = os.geteuid()

    def fix(path: str) -> None:
        try:
            st = os.lstat(path)
        except OSError:
            return
        if st.st_uid == me and stat.S_ISDIR(st.st_mode) and st.st_mode & 0o700 != 0o700:
            os.chmod(path, 0o700)

    fix(root)
    for base, dirs, _ in os.walk(root):
        for name in dirs:
            fix(os.path.join(base, name))


class CalibrationWorker:
    """The calibration workload in a process of its own, started like the solution (same interpreter and flags,
    same container), that runs one unit of work per `sample()` and reports its CPU ms: the driver samples it
    between the solution's requests, so the factor follows the load the solution meets (calibration.py).
    It is trusted code and keeps the driver's uid, so the solution, which lives beside it, cannot signal it
    (nor does killing every process of the solution uid end it)."""

    def __init__(self, python: str = sys.executable):
        from .calibration import WORKER
        self.proc = subprocess.Popen([python, "-I", "-S", "-B", "-c", WORKER], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env={"PATH": "/usr/bin:/bin"},
                                     cwd="/", text=True, bufsize=1)

    def sample(self) -> float:
        try:
            self.proc.stdin.write("\n")
            self.proc.stdin.flush()
            line = self.proc.stdout.readline()
            return float(line)
        except (OSError, ValueError) as exc:
            raise HarnessError(f"the calibration worker failed: {type(exc).__name__}: {exc}") from None

    def close(self) -> None:
        self.proc.kill()
        self.proc.wait()
        for stream in (self.proc.stdin, self.proc.stdout):
            try:
                stream.close()
            except OSError:
                pass
