"""Entry point of the untrusted solution process (run by the driver as `python -I -S -B sb_bootstrap.py`).

It loads the solution file, answers the driver's requests with its entry function, and installs an audit
hook that refuses subprocesses, sockets, ctypes, signals to other processes, imports of the benchmark and
file access outside the allowed places. The hook is defence in depth: the sandbox (another uid, no network,
cgroup limits) is the boundary, and the driver measures everything from outside either way.
"""
import asyncio
import inspect
import json
import os
import sys
import traceback

DENIED_EVENTS = (
    "os.system", "os.exec", "os.posix_spawn", "os.spawn", "os.fork", "os.forkpty", "subprocess.Popen",
    "pty.spawn", "socket.connect", "socket.bind", "socket.sendto", "socket.sendmsg", "socket.getaddrinfo",
    "ctypes.dlopen", "ctypes.dlsym", "ctypes.dlsym/handle", "ctypes.cdata", "ctypes.call_function",
    "os.killpg", "signal.pthread_kill", "sys.remote_exec", "os.setuid", "os.setgid", "os.chroot",
)
PATH_EVENTS = ("os.remove", "os.rename", "os.rmdir", "os.mkdir", "os.chmod", "os.chown", "os.truncate",
               "os.link", "os.symlink", "shutil.rmtree", "shutil.copyfile", "shutil.move")
WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC
MAX_ERROR_CHARS = 4000


class Channel:
    """Newline-delimited JSON over two pipes to the driver."""

    def __init__(self, fd_in: int, fd_out: int):
        self.rfile = os.fdopen(fd_in, "rb", buffering=1 << 16)
        self.wfile = os.fdopen(fd_out, "wb", buffering=1 << 16)

    def send(self, message: dict) -> None:
        self.wfile.write(json.dumps(message, separators=(",", ":")).encode() + b"\n")
        self.wfile.flush()

    def send_raw(self, line: str) -> None:
        self.wfile.write(line.encode() + b"\n")
        self.wfile.flush()

    def recv(self) -> dict:
        line = self.rfile.readline()
        if not line:
            raise SystemExit(0)
        return json.loads(line)

    def call(self, message: dict) -> dict:
        self.send(message)
        return self.recv()


def _inside(path: str, roots: list[str]) -> bool:
    real = os.path.realpath(path)
    return any(real == r or real.startswith(r.rstrip("/") + "/") for r in roots)


def make_guard(deny: list[str], writable: list[str]):
    deny = [os.path.realpath(d) for d in deny]
    writable = [os.path.realpath(w) for w in writable]
    own_pid = os.getpid()

    def guard(event: str, args: tuple) -> None:
        if event == "open":
            path, mode, flags = (list(args) + [None, None, None])[:3]
            if isinstance(path, int) or path is None:
                return
            path = os.fsdecode(path)
            if _inside(path, deny):
                raise PermissionError(f"sandbox: reading {path} is not allowed")
            writing = (isinstance(mode, str) and any(c in mode for c in "wax+")) or \
                      (isinstance(flags, int) and flags & WRITE_FLAGS)
            if writing and not _inside(path, writable):
                raise PermissionError(f"sandbox: writing {path} is not allowed (use the scratch dir)")
        elif event == "import" and args and str(args[0]).split(".")[0] in ("scaleblind", "sb_bootstrap"):
            raise ImportError("sandbox: the benchmark's own code is not importable")
        elif event == "os.kill" and args and args[0] not in (own_pid, 0):
            raise PermissionError("sandbox: signals to other processes are not allowed")
        elif event.startswith(DENIED_EVENTS):
            raise PermissionError(f"sandbox: {event} is not allowed (one process, no network)")
        elif event in PATH_EVENTS and args and isinstance(args[0], (str, bytes)) \
                and not _inside(os.fsdecode(args[0]), writable):
            raise PermissionError(f"sandbox: {event} outside the scratch dir is not allowed")

    return guard


def load_solution(path: str):
    """Run the solution file as module `solution`; return it, or raise SyntaxError/others."""
    import types
    with open(path, encoding="utf-8") as handle:
        source = handle.read()
    module = types.ModuleType("solution")
    module.__file__ = path
    sys.modules["solution"] = module
    exec(compile(source, "solution.py", "exec"), module.__dict__)
    return module


def error_message(kind: str, exc: BaseException) -> dict:
    text = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    return {"op": "error", "kind": kind, "type": type(exc).__name__, "message": text[-MAX_ERROR_CHARS:]}


def serve(channel: Channel, module, entry: str, clients: dict) -> None:
    import platform_client
    function = getattr(module, entry, None)
    if not callable(function):
        channel.send({"op": "error", "kind": "missing_entry", "type": "AttributeError",
                      "message": f"the solution defines no function named {entry}"})
        return
    channel.send({"op": "ready"})
    while True:
        message = channel.recv()
        if message.get("op") != "request":
            return
        objects = platform_client.make_clients(clients)
        try:
            value = function(**objects, **message["args"])
            if inspect.iscoroutine(value):  # an `async def` entry: run it to completion
                value = asyncio.run(value)
            for obj in objects.values():
                if isinstance(obj, platform_client.Sink):
                    obj.flush()
            line = json.dumps({"op": "result", "value": json.loads(platform_client.encode(value))})
        except platform_client.PlatformError as exc:
            channel.send(error_message("platform", exc))
            continue
        except Exception as exc:  # the solution's own bug: reported, the request fails
            channel.send(error_message("crash", exc))
            continue
        channel.send_raw(line)


def main() -> None:
    lib_dir = os.path.dirname(os.path.abspath(__file__))
    config = json.loads(os.environ["SB_CONFIG"])
    sys.path[:] = [p for p in sys.path if p] + config["sys_path"]
    sys.path.insert(0, lib_dir)
    sys.dont_write_bytecode = True
    channel = Channel(config["fd_in"], config["fd_out"])
    import platform_client
    platform_client._channel = channel
    platform_client.install_virtual_time()
    # Warm the modules a solution commonly needs before the guard goes up, so their imports are not refused.
    # ctypes loads libpython with dlopen at import (numpy imports it): allowed once here, refused afterwards.
    for name in ("csv", "io", "heapq", "bisect", "collections", "itertools", "json", "datetime", "math", "ctypes",
                 "asyncio", "decimal"):
        __import__(name)
    sys.addaudithook(make_guard(config["deny"] + [lib_dir], config["writable"]))
    os.chdir(config["writable"][0])
    try:
        module = load_solution(config["solution"])
    except SyntaxError as exc:
        channel.send(error_message("syntax_error", exc))
        return
    except BaseException as exc:
        channel.send(error_message("crash", exc))
        return
    serve(channel, module, config["entry"], config["clients"])


if __name__ == "__main__":
    main()
