"""Hardened Docker containers for untrusted solutions, behind inspect's `SandboxEnvironment` interface.

Uses the `docker` Python SDK directly because inspect's built-in docker sandbox needs Engine >= 24 and the
compose v2 plugin, which many hosts (including our CI) lack. One container serves one sample at a time;
between samples it is reset (every uid-1001 process killed, scratch/tmp/shm/mqueue/SysV IPC wiped, checked
empty) and reused warm, or destroyed when the reset cannot prove it clean.

Who runs as root: `exec` defaults to uid 0 inside the container because the trusted driver must drop each
solution process to `SCALEBLIND_SOLUTION_UID` (1001). That root has only CAP_SETUID and CAP_SETGID, cannot
gain more (no-new-privileges), and sees a read-only root filesystem. Untrusted code never runs as root.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import signal
import socket
import struct
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any, AsyncIterator, Literal, Union, overload

import anyio
from inspect_ai.util import ExecResult, OutputLimitExceededError, SandboxEnvironment
from inspect_ai.util._sandbox.environment import SandboxUnavailableError

from scaleblind.sandbox.image import image_tag

SCRATCH = "/scratch"
SOLUTION_UID = 1001
LABEL = "scaleblind.sandbox"
RUN_ID = uuid.uuid4().hex[:12]
MAX_IDLE_PER_SHAPE = 4
STDOUT, STDERR = 1, 2


# ----------------------------------------------------------------------------------------------- limits


@dataclass(frozen=True)
class Limits:
    """Resource shape of a container; containers are only reused for samples with the same shape."""

    memory_mb: int = 2048
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


def container_kwargs(image: str, limits: Limits) -> dict[str, Any]:
    """The hardening, in one place: every option here is on by default and covered by tests."""
    tmpfs_opts = "rw,noexec,nosuid,nodev,mode=1777"
    memory = f"{limits.memory_mb}m"
    return dict(
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
               SCRATCH: f"{tmpfs_opts},size={limits.scratch_mb}m"},
        shm_size=16 * 1024**2,
        cap_drop=["ALL"],
        cap_add=["SETUID", "SETGID"],
        security_opt=["no-new-privileges"],
        ulimits=[{"Name": "core", "Soft": 0, "Hard": 0}],
        ipc_mode="private",
        working_dir=SCRATCH,
        environment={"SCALEBLIND_SCRATCH": SCRATCH, "SCALEBLIND_SOLUTION_UID": str(SOLUTION_UID)},
        labels=creator_labels(limits),
        hostname="sandbox",
    )


# --------------------------------------------------------------------------------------- raw exec plumbing


@dataclass
class RawExec:
    """Outcome of one exec: bytes as produced, plus why it stopped early (if it did)."""

    returncode: int = -1
    stdout: bytearray = field(default_factory=bytearray)
    stderr: bytearray = field(default_factory=bytearray)
    timed_out: bool = False
    overflow: bool = False


def recv_exact(sock: socket.socket, size: int, deadline: float) -> bytes | None:
    """Read exactly `size` bytes before `deadline`; None at end of stream; TimeoutError after it."""
    chunks = bytearray()
    while len(chunks) < size:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError
        sock.settimeout(min(remaining, 5.0))
        try:
            data = sock.recv(min(size - len(chunks), 1 << 20))
        except socket.timeout:
            continue
        if not data:
            return None
        chunks += data
    return bytes(chunks)


def feed_stdin(sock: socket.socket, data: bytes) -> None:
    """Write stdin then half-close, so the process sees EOF; runs in its own thread to avoid deadlock."""
    try:
        sock.sendall(data)
        sock.shutdown(socket.SHUT_WR)
    except OSError:
        pass  # the process exited or closed stdin early: not an error of ours


def close_hard(sock: socket.socket) -> None:
    """Shut the connection down even while the SDK's response object still holds a reference to it."""
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)
    sock.close()


def pump_frames(sock: socket.socket, out: RawExec, deadline: float, limit: int) -> None:
    """Demultiplex docker's framed stdout/stderr until end of stream, the deadline, or the cap."""
    while True:
        header = recv_exact(sock, 8, deadline)
        if header is None:
            return
        kind, size = struct.unpack(">BxxxL", header)
        payload = recv_exact(sock, size, deadline) if size else b""
        if payload is None:
            return
        target = out.stderr if kind == STDERR else out.stdout
        target += payload
        if len(target) > limit:
            out.overflow = True
            return


# ------------------------------------------------------------------------------------------ the container


class Container:
    """One running sandbox container (sync API; callers wrap blocking calls in threads)."""

    def __init__(self, client: Any, limits: Limits, image: str) -> None:
        self.client = client
        self.limits = limits
        self.image = image
        self.dead_reason: str | None = None
        started = time.monotonic()
        # create + start, not `run`: `run` falls back to pulling from a registry, which must never happen.
        self.handle = client.containers.create(**container_kwargs(image, limits))
        self.id: str = self.handle.id
        LIVE.add(self)
        self.handle.start()
        self.started_at = started
        self.cold_start_s = time.monotonic() - started

    def exec_raw(self, cmd: list[str], input: bytes | None = None, cwd: str | None = None,
                 env: dict[str, str] | None = None, user: str | None = None,
                 timeout: float | None = None, limit: int | None = None) -> RawExec:
        """Run `cmd` to completion; on timeout or runaway output the whole container is killed."""
        import docker.errors

        if self.dead_reason:
            raise SandboxUnavailableError(f"sandbox container is gone: {self.dead_reason}")
        api = self.client.api
        try:
            exec_id = api.exec_create(
                self.id, cmd, stdin=input is not None, stdout=True, stderr=True, user=user or "root",
                workdir=resolve_path(cwd) if cwd else SCRATCH,
                environment=[f"{k}={v}" for k, v in (env or {}).items()] or None,
            )["Id"]
            sock = api.exec_start(exec_id, socket=True)._sock
        except docker.errors.APIError as exc:
            raise SandboxUnavailableError(f"cannot exec in sandbox container: {exc}") from exc
        out = RawExec()
        deadline = time.monotonic() + (timeout or self.limits.timeout_s)
        feeder = None
        if input is not None:
            feeder = threading.Thread(target=feed_stdin, args=(sock, input), daemon=True)
            feeder.start()
        try:
            pump_frames(sock, out, deadline, limit or output_limit())
        except TimeoutError:
            out.timed_out = True
        finally:
            if self.dead_reason and not out.overflow:  # the sample's watchdog killed the container meanwhile
                out.timed_out = True
            close_hard(sock)  # first: the engine stalls a kill while an unread exec stream is pending
            if out.timed_out or out.overflow:
                self.kill("exec timed out" if out.timed_out else "exec output over the limit")
        if not (out.timed_out or out.overflow):
            out.returncode = self.exit_code(exec_id)
        return out

    def exit_code(self, exec_id: str) -> int:
        """The exec's exit code; the engine may report it a moment after the stream ends."""
        for _ in range(200):
            info = self.client.api.exec_inspect(exec_id)
            if not info.get("Running") and info.get("ExitCode") is not None:
                return int(info["ExitCode"])
            time.sleep(0.005)
        return -1

    def kill(self, reason: str) -> None:
        """Kill and remove (auto_remove also removes it); safe to call twice or on a gone container."""
        import docker.errors

        if self.dead_reason is None:
            self.dead_reason = reason
        for action in (lambda: self.handle.kill(), lambda: self.handle.remove(force=True)):
            with contextlib.suppress(docker.errors.APIError, docker.errors.NotFound):
                action()
        LIVE.discard(self)

    def age_ok(self) -> bool:
        """Reuse only while enough lifetime remains for one more full sample."""
        age = time.monotonic() - self.started_at
        return age + 2 * self.limits.timeout_s < self.limits.lifetime_s

    def reset(self) -> str | None:
        """Make the container as fresh as a new one; returns None if clean, else why it is not."""
        try:  # one exec (exec startup dominates warm overhead): a uid-1001 child first, then the root part
            check = self.exec_raw(["python3", "-I", "-S", "-c", RESET_SCRIPT], user="root", timeout=20)
        except SandboxUnavailableError as exc:
            return str(exc)
        text = check.stdout.decode(errors="replace").strip()
        return None if check.returncode == 0 and text == "CLEAN" else (text or check.stderr.decode()[:300])


# Runs as uid 1001: it can signal and delete only what uid 1001 owns, which is exactly what to remove.
RESET_AS_SOLUTION = r"""
import ctypes, os, signal, shutil, stat, time
me = os.getpid()
def mine():
    out = []
    for p in os.listdir('/proc'):
        if p.isdigit() and int(p) != me:
            try:
                if os.stat('/proc/' + p).st_uid == 1001: out.append(p)
            except OSError: pass
    return out
for _ in range(200):
    try: os.kill(-1, signal.SIGKILL)
    except ProcessLookupError: pass
    if not mine(): break
    time.sleep(0.01)
for root in ('/scratch', '/tmp', '/dev/shm', '/dev/mqueue'):
    for base, dirs, files in os.walk(root, topdown=True):
        for d in dirs:
            path = os.path.join(base, d)
            try:
                if os.lstat(path).st_uid == 1001: os.chmod(path, 0o777)
            except OSError: pass
    try: names = os.listdir(root)
    except OSError: continue
    for name in names:
        path = os.path.join(root, name)
        try:
            if os.path.isdir(path) and not os.path.islink(path): shutil.rmtree(path, ignore_errors=True)
            else: os.unlink(path)
        except OSError: pass
libc = ctypes.CDLL(None, use_errno=True)
for kind, uid_col, rm in (('shm', 7, lambda i: libc.shmctl(i, 0, None)),
                          ('msg', 7, lambda i: libc.msgctl(i, 0, None)),
                          ('sem', 4, lambda i: libc.semctl(i, 0, 0))):
    try: rows = open('/proc/sysvipc/' + kind).read().splitlines()[1:]
    except OSError: continue
    for row in rows:
        cols = row.split()
        if int(cols[uid_col]) == 1001: rm(int(cols[1]))
"""

# Runs as root (uid 0, only SETUID/SETGID): removes what the driver left, then proves the container clean.
RESET_AS_ROOT = r"""
import os, shutil, signal, sys, time
me = os.getpid()
def procs():
    out = {}
    for p in os.listdir('/proc'):
        if not p.isdigit() or int(p) in (1, me): continue
        try:
            st = open('/proc/%s/stat' % p).read().rsplit(')', 1)[1].split()
            cmd = open('/proc/%s/cmdline' % p, 'rb').read().split(b'\0')[0]
            out[int(p)] = (int(st[1]), cmd, os.stat('/proc/' + p).st_uid)
        except OSError: pass
    return {p: v for p, v in out.items() if not (v[0] == 1 and v[1] == b'/bin/sleep' and v[2] == 0)}
for _ in range(50):
    left = procs()
    if not left: break
    for p, (_, _, uid) in left.items():
        if uid == 0:
            try: os.kill(p, signal.SIGKILL)
            except OSError: pass
    time.sleep(0.01)
problems = ['process %d uid %d %r' % (p, v[2], v[1]) for p, v in procs().items()]
for root in ('/scratch', '/tmp', '/dev/shm', '/dev/mqueue'):
    for name in os.listdir(root):
        path = os.path.join(root, name)
        try:
            if os.path.isdir(path) and not os.path.islink(path): shutil.rmtree(path)
            else: os.unlink(path)
        except OSError: pass
    problems += ['leftover %s/%s' % (root, n) for n in os.listdir(root)]
for kind in ('shm', 'msg', 'sem'):
    rows = open('/proc/sysvipc/' + kind).read().splitlines()[1:]
    problems += ['sysv %s %s' % (kind, r.split()[1]) for r in rows]
print('CLEAN' if not problems else 'DIRTY: ' + '; '.join(problems[:5]))
"""


RESET_SCRIPT = (
    "import os\n"
    "child = os.fork()\n"
    "if child == 0:\n"
    "    os.setgroups([]); os.setgid(1001); os.setuid(1001)\n"
    f"    exec({RESET_AS_SOLUTION!r})\n"
    "    os._exit(0)\n"
    "os.waitpid(child, 0)\n"
    + RESET_AS_ROOT
)


def resolve_path(path: str) -> str:
    """Relative paths are relative to the scratch dir, the per-sample working directory."""
    return str(PurePosixPath(SCRATCH) / path) if not path.startswith("/") else path


# ------------------------------------------------------------------------------------ pool and lifecycle

LIVE: set[Container] = set()
IDLE: dict[tuple[Limits, str], list[Container]] = {}
POOL_LOCK = threading.Lock()
_client: Any = None
# >= samples in flight (up to 32 per offline model, several models at once): at docker's default of 10, urllib3
# warned "Connection pool is full" for almost every sample
CLIENT_POOL_SIZE = 256
_hooks_installed = False
_BUILD_LOCK = threading.Lock()


def docker_available() -> bool:
    """True when a Docker Engine answers (the registry's default-sandbox probe)."""
    from scaleblind.sandbox.doctor import docker_available as probe

    return probe()


def client() -> Any:
    """One SDK client per process, made on first use (no engine contact at import time)."""
    global _client
    if _client is None:
        import docker

        _client = docker.from_env(timeout=120, max_pool_size=CLIENT_POOL_SIZE)
    return _client


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


# ----------------------------------------------------------------------------- inspect sandbox environment


class DockerSandboxEnvironment(SandboxEnvironment):
    """inspect `SandboxEnvironment` over one hardened container; `exec` runs as root unless `user` says."""

    def __init__(self, container: Container) -> None:
        super().__init__()
        self.container = container

    async def exec(
        self,
        cmd: list[str],
        input: str | bytes | None = None,
        cwd: str | None = None,
        env: dict[str, str] | None = None,
        user: str | None = None,
        timeout: int | None = None,
        timeout_retry: bool = True,
        concurrency: bool = True,
    ) -> ExecResult[str]:
        """Run a command; a timeout or output over the cap kills the container (no retry: hostile code)."""
        data = input.encode() if isinstance(input, str) else input
        out = await self._run(cmd, data, cwd, env, user, timeout)
        if out.timed_out:
            raise TimeoutError(f"sandbox command timed out after {timeout or self.container.limits.timeout_s}s")
        if out.overflow:
            tail = bytes(out.stdout[-4096:]).decode(errors="replace")
            raise OutputLimitExceededError(f"{output_limit() // 1024**2} MiB", tail)
        return ExecResult(out.returncode == 0, out.returncode,
                          out.stdout.decode(errors="replace"), out.stderr.decode(errors="replace"))

    async def _run(self, cmd: list[str], data: bytes | None, cwd: str | None, env: dict[str, str] | None,
                   user: str | None, timeout: float | None, limit: int | None = None) -> RawExec:
        """Blocking exec in a worker thread; if our task is cancelled (Ctrl-C), the container dies."""
        call = lambda: self.container.exec_raw(cmd, data, cwd, env, user, timeout, limit)  # noqa: E731
        try:
            return await anyio.to_thread.run_sync(call, abandon_on_cancel=True)
        except anyio.get_cancelled_exc_class():
            self.container.kill("cancelled")
            raise

    async def write_file(self, file: str, contents: str | bytes) -> None:
        """Write via exec (`docker cp` cannot reach tmpfs mounts nor a read-only rootfs)."""
        data = contents.encode() if isinstance(contents, str) else contents
        out = await self._run(["python3", "-I", "-c", WRITE_FILE, resolve_path(file)], data, None, None,
                              "root", 60)
        raise_file_error(out, file)

    @overload
    async def read_file(self, file: str, text: Literal[True] = True) -> str: ...

    @overload
    async def read_file(self, file: str, text: Literal[False]) -> bytes: ...

    async def read_file(self, file: str, text: bool = True) -> Union[str | bytes]:
        out = await self._run(["python3", "-I", "-c", READ_FILE, resolve_path(file), str(read_limit())], None,
                              None, None, "root", 60, limit=read_limit() + 1)
        raise_file_error(out, file)
        return out.stdout.decode() if text else bytes(out.stdout)

    @classmethod
    async def sample_init(cls, task_name: str, config: Any, metadata: dict[str, str]
                          ) -> dict[str, SandboxEnvironment]:
        container = await anyio.to_thread.run_sync(acquire, limits_from_config(config))
        return {"default": cls(container)}

    @classmethod
    async def sample_cleanup(cls, task_name: str, config: Any, environments: dict[str, SandboxEnvironment],
                             interrupted: bool) -> None:
        for environment in environments.values():
            if isinstance(environment, DockerSandboxEnvironment):
                await anyio.to_thread.run_sync(release, environment.container, not interrupted)

    @classmethod
    async def task_cleanup(cls, task_name: str, config: Any, cleanup: bool) -> None:
        if cleanup:
            await anyio.to_thread.run_sync(shutdown_all)

    @classmethod
    async def cli_cleanup(cls, id: str | None) -> None:
        from scaleblind.sandbox.doctor import remove_leftovers

        await anyio.to_thread.run_sync(remove_leftovers)

    @classmethod
    def config_deserialize(cls, config: dict[str, Any]) -> Any:
        from scaleblind.sandbox.inspect_env import ScaleblindSandboxConfig

        return ScaleblindSandboxConfig(**config)


def limits_from_config(config: Any) -> Limits:
    """inspect passes our pydantic config, a plain dict, or nothing."""
    if config is None or isinstance(config, str):
        return Limits()
    values = config if isinstance(config, dict) else config.model_dump()
    return Limits(**{k: v for k, v in values.items() if v is not None})


WRITE_FILE = r"""
import os, sys
path = sys.argv[1]
if os.path.isdir(path): sys.exit(3)
try:
    os.makedirs(os.path.dirname(path) or '.', exist_ok=True)
    with open(path, 'wb') as f: f.write(sys.stdin.buffer.read())
except PermissionError: sys.exit(4)
"""

READ_FILE = r"""
import os, sys
path, limit = sys.argv[1], int(sys.argv[2])
if os.path.isdir(path): sys.exit(3)
try:
    if os.path.getsize(path) > limit: sys.exit(5)
    with open(path, 'rb') as f: sys.stdout.buffer.write(f.read())
except FileNotFoundError: sys.exit(2)
except PermissionError: sys.exit(4)
"""


def raise_file_error(out: RawExec, file: str) -> None:
    """Map the helper scripts' exit codes onto the exceptions inspect documents."""
    if out.timed_out:
        raise TimeoutError(f"sandbox file operation on {file} timed out")
    errors = {2: FileNotFoundError, 3: IsADirectoryError, 4: PermissionError}
    if out.returncode in errors:
        raise errors[out.returncode](file)
    if out.returncode == 5 or out.overflow:
        raise OutputLimitExceededError(f"{read_limit() // 1024**2} MiB", None)
    if out.returncode != 0:
        raise RuntimeError(f"sandbox file operation on {file} failed: {out.stderr.decode(errors='replace')}")


# --------------------------------------------------------------------------------- the grader's factory


@contextlib.asynccontextmanager
async def open_docker_sandbox(memory_mb: int = 2048, cpus: float = 1.0, pids: int = 256,
                              timeout_s: int = 600) -> AsyncIterator[DockerSandboxEnvironment]:
    """One sample's sandbox: warm when possible, killed if the sample outlives `timeout_s`, always released."""
    limits = Limits(memory_mb=memory_mb, cpus=cpus, pids=pids, timeout_s=timeout_s)
    container = await anyio.to_thread.run_sync(acquire, limits)
    watchdog = threading.Timer(timeout_s, container.kill, args=("sample wall-clock timeout",))
    watchdog.daemon = True
    watchdog.start()
    ok = False
    try:
        yield DockerSandboxEnvironment(container)
        ok = True
    finally:
        watchdog.cancel()
        with anyio.CancelScope(shield=True):
            await anyio.to_thread.run_sync(release, container, ok)
