"""Finding 10: switch the audit hook off from inside, then do what it refuses.

Switching off: reassign the bootstrap's module globals, builtins and os/posixpath functions; reach the hook's
frame through the traceback of a refusal and change what its functions hold (closure cells, code); look for it
with gc; install a tracer or another hook. Then try what the hook must still refuse: read the task's files,
write /proc/self/clear_refs (absolute, and relative to a dir_fd), open a database file with sqlite3, use
os.memfd_create, start a process (also by the unaudited _posixsubprocess), make a symlink, write outside the scratch dir, connect a socket, signal the
driver. Task filters/faceted_catalog. Expected: crash at demo with "escaped: none" (run it with the host's
rights, `--sandbox local`, where the hook is the only guard).
"""
import builtins
import gc
import json
import os
import posixpath
import sys

SCRATCH = os.getcwd()
CONFIG = json.loads(os.environ.get("SB_CONFIG", "{}"))
TASK_FILE = next((os.path.join(d, "reference.py") for d in CONFIG.get("deny", [])
                  if os.path.exists(os.path.join(d, "reference.py"))), "/nonexistent/reference.py")


def _switch_off() -> list:
    changed = []
    main = sys.modules.get("__main__")
    for name in ("DENIED_EVENTS", "PATH_EVENTS", "WRITE_FLAGS"):
        setattr(main, name, () if name != "WRITE_FLAGS" else 0)
    main.make_guard = lambda *a: (lambda event, args: None)
    for module in (os.path, posixpath):
        module.realpath = module.abspath = lambda path, *a, **k: SCRATCH + "/x"
    os.getcwd = lambda: SCRATCH
    permissive = lambda *a, **k: None  # noqa: E731
    try:
        open("/proc/self/clear_refs", "w")
    except Exception as refusal:
        tb = refusal.__traceback__
        while tb is not None:
            for value in list(tb.tb_frame.f_locals.values()):
                for cell in getattr(value, "__closure__", None) or ():
                    try:
                        cell.cell_contents = ("/",) if isinstance(cell.cell_contents, tuple) else permissive
                        changed.append("closure cell")
                    except Exception:
                        pass
                if callable(getattr(value, "__code__", None)):
                    try:
                        value.__code__ = permissive.__code__
                        changed.append(f"code of {value.__name__}")
                    except Exception:
                        pass
            tb = tb.tb_next
    for attempt, label in ((lambda: gc.get_objects(), "gc.get_objects"),
                           (lambda: sys.settrace(permissive), "sys.settrace"),
                           (lambda: sys.setprofile(permissive), "sys.setprofile")):
        try:
            attempt()
            changed.append(label)
        except Exception:
            pass
    heard = []
    sys.addaudithook(lambda event, args: heard.append(event))  # refused silently: Python drops the new hook
    sys.audit("probe")
    if heard:
        changed.append("sys.addaudithook")
    return changed


def _forbidden() -> dict:
    import socket
    import sqlite3
    import subprocess

    def write_dir_fd():
        fd = os.open("/proc/self", os.O_RDONLY)
        os.write(os.open("clear_refs", os.O_WRONLY, dir_fd=fd), b"5")

    def unaudited_spawn():
        import _posixsubprocess
        if type(_posixsubprocess.fork_exec).__name__ != "builtin_function_or_method":
            raise PermissionError("replaced")

    def sqlite_file():
        sqlite3.connect(f"file:{TASK_FILE}?mode=ro", uri=True).execute("select 1")

    return {
        "read the task's reference": lambda: open(TASK_FILE).read(),
        "write clear_refs": lambda: open("/proc/self/clear_refs", "w").write("5"),
        "write clear_refs by dir_fd": write_dir_fd,
        "open a database file": sqlite_file,
        "memfd_create": lambda: os.memfd_create("x"),
        "start a process": lambda: subprocess.run(["true"]),
        "start a process without an audit event": unaudited_spawn,
        "make a symlink": lambda: os.symlink(TASK_FILE, os.path.join(SCRATCH, "link")),
        "write outside scratch": lambda: open(os.path.join(os.path.dirname(SCRATCH), "escaped"), "w").write("x"),
        "connect a socket": lambda: socket.create_connection(("127.0.0.1", 9), timeout=0.2),
        "signal the driver": lambda: os.kill(os.getppid(), 0),
    }


def filter_products(api, filters, page=1, per_page=24):
    saved = {name: getattr(builtins, name) for name in ("isinstance", "len", "any", "str")}
    changed = _switch_off()
    builtins.isinstance = lambda *a: True
    builtins.len = lambda *a: 0
    builtins.any = lambda *a: False
    escaped = []
    for label, action in _forbidden().items():
        try:
            action()
            escaped.append(label)
        except BaseException:
            pass
    for name, value in saved.items():
        setattr(builtins, name, value)
    raise RuntimeError(f"escaped: {', '.join(escaped) or 'none'}; changed: {', '.join(changed) or 'nothing'}")
