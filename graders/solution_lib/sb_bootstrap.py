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
    "os.symlink", "os.link", "resource.setrlimit", "resource.prlimit", "sqlite3.enable_load_extension",
    "sqlite3.load_extension",
    # the ways to reach this hook's function or its frame, and so to change what it checks
    "gc.get_objects", "gc.get_referrers", "gc.get_referents", "sys.settrace", "sys.setprofile",
    "sys.addaudithook", "sys._current_frames", "sys._current_exceptions",
)
# Events that name paths the solution must own (index of each path argument): only inside the writable places.
PATH_EVENTS = {"os.remove": (0,), "os.rmdir": (0,), "os.mkdir": (0,), "os.chmod": (0,), "os.chown": (0,),
               "os.truncate": (0,), "os.utime": (0,), "os.rename": (0, 1), "shutil.rmtree": (0,),
               "shutil.copyfile": (1,), "shutil.move": (0, 1), "shutil.copymode": (1,), "shutil.copystat": (1,)}
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


def make_guard(deny: list[str], writable: list[str]):
    """The audit hook, built so that nothing the solution can reach changes what it checks.

    Whatever it reads is captured here from the originals, before any solution code runs: the roots and event
    lists as tuples and read-only mappings, the C functions it calls (os.lstat, os.readlink...), the builtins it
    needs. Its code and its helpers' code read no global name, so reassigning this module's names, `builtins`
    or `os` functions changes nothing. Its frame (reachable from the traceback of a refusal) holds only
    immutable values and helper functions without closures, whose code cannot be replaced (refused event). The
    events that would reach into it (gc.get_objects, sys.settrace, sys.setprofile...) are refused. It does not
    call the solution's methods: paths are exact str/bytes (their raw characters), file descriptors, or
    pathlib paths (their own `__fspath__`; a solution that patches pathlib could show the hook one path and
    open another: the sandbox's uid and read-only root are the boundary); anything else is refused.

    Paths are resolved by its own realpath (symlinks, /proc/self/fd/N, the current directory). `os.open`'s
    audit event does not carry `dir_fd`, so a relative `..` is refused there, symlinks cannot be made, and no
    directory outside the writable places can be opened as a descriptor: a `dir_fd` can only be a place the
    solution may write.
    """
    import pathlib
    import posixpath
    import types
    deny_roots = tuple(posixpath.realpath(d) for d in deny)
    writable_roots = tuple(posixpath.realpath(w) for w in writable)
    own_pid = os.getpid()
    denied_prefixes = tuple(DENIED_EVENTS)
    path_events = types.MappingProxyType({event: tuple(indexes) for event, indexes in PATH_EVENTS.items()})
    write_flags = WRITE_FLAGS
    fd = object()  # what `text` returns for a file descriptor
    type_of, str_type = type, str
    tools = (type, str, bytes, int, str.__str__, bytes.__bytes__, bytes.decode, type.__dict__["__mro__"].__get__,
             os.fspath, pathlib.PurePosixPath, pathlib.PosixPath, fd)
    fs = (os.getcwd, os.lstat, os.readlink)
    stat_path = os.stat
    denied, import_refused, os_error = PermissionError, ImportError, OSError
    code_attributes = ("__code__",)  # of `protected` (defaults do not matter: the helpers get every argument passed)

    def text(path, tools):
        """The path as the kernel will get it: `fd`, a str, or None when that cannot be known without running
        the solution's code."""
        type_of, str_, bytes_, int_, str_raw, bytes_raw, decode, mro_of, fspath, pure_path, posix_path, fd = tools
        kind = type_of(path)
        if kind is str_:
            return path
        if kind is bytes_:
            return decode(path, "utf-8", "surrogateescape")
        if kind is pure_path or kind is posix_path:
            value = fspath(path)
            return value if type_of(value) is str_ else None
        for base in mro_of(kind):
            if base is int_:
                return fd
            if base is str_:
                return str_raw(path)
            if base is bytes_:
                return decode(bytes_raw(path), "utf-8", "surrogateescape")
        return None

    def resolve(path, fs, os_error):
        """realpath from captured C functions: symlinks followed (up to 40), `..` applied after them."""
        getcwd, lstat, readlink = fs
        if not path.startswith("/"):
            path = getcwd() + "/" + path
        done, todo, hops = [], path.split("/")[::-1], 0
        while todo:
            name = todo.pop()
            if name == "" or name == ".":
                continue
            if name == "..":
                if done:
                    done.pop()
                continue
            here = "/" + "/".join(done + [name])
            try:
                mode = lstat(here).st_mode
            except os_error:
                mode = 0
            if (mode & 0o170000) != 0o120000:
                done.append(name)
                continue
            hops += 1
            if hops > 40:
                return here
            target = readlink(here)
            if target.startswith("/"):
                done = []
            todo.extend(target.split("/")[::-1])
        return "/" + "/".join(done)

    def inside(path, roots):
        for root in roots:
            if path == root or path.startswith(root + "/"):
                return True
        return False

    def checked(path, no_dotdot, tools, fs, os_error, denied, text, resolve):
        """The resolved path of an event's argument, `fd` for a descriptor; refuses what cannot be known."""
        fd = tools[-1]
        name = text(path, tools)
        if name is fd:
            return fd
        if name is None:
            raise denied("sandbox: file paths must be str, bytes or pathlib paths")
        if no_dotdot and not name.startswith("/") and ".." in name.split("/"):
            raise denied("sandbox: a relative path with '..' is not allowed here (its dir_fd cannot be checked)")
        return resolve(name, fs, os_error)

    def guard(event, args):
        if event == "open":
            path, mode, flags = args
            real = checked(path, mode is None, tools, fs, os_error, denied, text, resolve)
            if real is fd:
                return
            if inside(real, deny_roots):
                raise denied("sandbox: reading " + real + " is not allowed")
            writing = (flags & write_flags) != 0 or (mode is not None and (
                "w" in mode or "a" in mode or "x" in mode or "+" in mode))
            if writing and not inside(real, writable_roots):
                raise denied("sandbox: writing " + real + " is not allowed (use the scratch dir)")
            if mode is None and not inside(real, writable_roots):
                try:
                    is_dir = (stat_path(real).st_mode & 0o170000) == 0o040000
                except os_error:
                    is_dir = False
                if is_dir:
                    raise denied("sandbox: a descriptor of the directory " + real + " is not allowed")
        elif event == "import":
            name = args[0]
            if type_of(name) is not str_type or name.split(".")[0] in ("scaleblind", "sb_bootstrap"):
                raise import_refused("sandbox: the benchmark's own code is not importable")
        elif event == "os.kill":
            if args[0] != own_pid and args[0] != 0:
                raise denied("sandbox: signals to other processes are not allowed")
        elif event == "object.__setattr__":
            target, name = args[0], args[1]
            if type_of(name) is str_type and name in code_attributes:
                for own in protected:  # identity only: `in` would call the target's __eq__
                    if own is target:
                        raise denied("sandbox: replacing the sandbox's own code is not allowed")
        elif event == "sqlite3.connect":
            database = args[0]
            if type_of(database) is not str_type or database != ":memory:":
                raise denied("sandbox: only sqlite3.connect(':memory:') is allowed (no file access)")
        elif event in path_events:
            padded = args + (None, None)
            for index in path_events[event]:
                if padded[index] is not None:
                    real = checked(padded[index], True, tools, fs, os_error, denied, text, resolve)
                    if real is not fd and not inside(real, writable_roots):
                        raise denied("sandbox: " + event + " outside the scratch dir is not allowed")
        elif event == "ctypes.dlopen" and args[0] is None:
            return  # the interpreter's own handle (numpy 2 imports ctypes, which opens it); dlsym stays refused
        elif event.startswith(denied_prefixes):
            raise denied("sandbox: " + event + " is not allowed (one process, no network)")

    # The hook's own functions: their code cannot be replaced. Any other function's can (numpy does it at import).
    protected = (text, resolve, inside, checked, guard)
    return guard


def forget_unaudited() -> None:
    """Hide what raises no audit event: os.memfd_create (anonymous RAM outside the solution's mappings: the memory
    cgroup counts it, the VmHWM fallback would not) and _posixsubprocess.fork_exec (a process without the
    "subprocess.Popen" event). Best effort only: a fresh module made with `_imp` has them again; the sandbox's
    one-process limit and memory cgroup are what hold."""
    import _posixsubprocess
    import posix
    for module in (os, posix):
        if hasattr(module, "memfd_create"):
            delattr(module, "memfd_create")

    def refused(*_args, **_kwargs):
        raise PermissionError("sandbox: starting processes is not allowed (one process)")

    _posixsubprocess.fork_exec = refused


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
    objects = platform_client.make_clients(clients)
    while True:
        message = channel.recv()
        if message.get("op") != "request":
            return
        platform_client.start_request(objects)
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
    forget_unaudited()
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
