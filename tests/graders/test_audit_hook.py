"""The solution's audit hook (finding 10): what it refuses, and that nothing the solution reaches can change it.

The hook is called here directly with the events Python would raise; `hostile/audit_hook_off.py` attacks it
end to end from inside a real solution process.
"""
from __future__ import annotations

import dis
import os
import pathlib
import sys
import types
from pathlib import Path

import pytest

from scaleblind.graders.process import SOLUTION_LIB

sys.path.insert(0, str(SOLUTION_LIB))
import sb_bootstrap  # noqa: E402


@pytest.fixture
def places(tmp_path: Path):
    scratch, secret = tmp_path / "scratch", tmp_path / "benchmark"
    scratch.mkdir()
    secret.mkdir()
    (secret / "reference.py").write_text("answers")
    return scratch, secret


@pytest.fixture
def guard(places, monkeypatch):
    scratch, secret = places
    monkeypatch.chdir(scratch)
    return sb_bootstrap.make_guard([str(secret)], [str(scratch), "/dev/null"])


def refused(guard, event: str, *args) -> bool:
    try:
        guard(event, args)
    except (PermissionError, ImportError):
        return True
    return False


def test_reads_writes_and_descriptors(guard, places):
    scratch, secret = places
    assert refused(guard, "open", str(secret / "reference.py"), "r", os.O_RDONLY)
    assert refused(guard, "open", os.fsencode(secret / "reference.py"), "r", os.O_RDONLY)
    assert refused(guard, "open", "../benchmark/reference.py", "r", os.O_RDONLY)   # relative to the cwd
    assert not refused(guard, "open", "out.csv", "w", os.O_WRONLY | os.O_CREAT)
    assert not refused(guard, "open", pathlib.Path("out.csv"), "w", os.O_WRONLY | os.O_CREAT)
    assert not refused(guard, "open", 5, "w", os.O_WRONLY)                          # an open descriptor
    assert refused(guard, "open", "/proc/self/clear_refs", "w", os.O_WRONLY)
    assert refused(guard, "open", "/proc/self", None, os.O_RDONLY)                  # a dir_fd outside scratch
    assert not refused(guard, "open", str(scratch), None, os.O_RDONLY)              # a dir_fd inside it
    assert refused(guard, "open", "../x", None, os.O_WRONLY)                        # its dir_fd is unknown
    assert refused(guard, "open", types.SimpleNamespace(), "r", os.O_RDONLY)        # a path we cannot read


def test_symlinks_and_proc_fd_are_resolved(guard, places):
    scratch, secret = places
    os.symlink(secret, scratch / "link")                  # made outside the hook (the hook refuses symlinks)
    assert refused(guard, "open", "link/reference.py", "r", os.O_RDONLY)
    fd = os.open(secret / "reference.py", os.O_RDONLY)
    try:
        assert refused(guard, "open", f"/proc/self/fd/{fd}", "r", os.O_RDONLY)
    finally:
        os.close(fd)
    assert refused(guard, "os.symlink", str(secret), "x", None)


class Sneaky(str):
    def __eq__(self, other):                              # never consulted: the hook reads the raw characters
        raise AssertionError("the hook ran the solution's code")

    __hash__ = str.__hash__


def test_str_subclasses_are_read_by_their_characters(guard, places):
    _, secret = places
    assert refused(guard, "open", Sneaky(str(secret / "reference.py")), "r", os.O_RDONLY)


@pytest.mark.parametrize(("event", "args"), [
    ("sqlite3.connect", ("/etc/passwd",)), ("sqlite3.connect", ("file:x?mode=ro",)),
    ("gc.get_objects", (-1,)), ("gc.get_referrers", ()), ("sys.settrace", ()), ("sys.setprofile", ()),
    ("sys.addaudithook", ()), ("subprocess.Popen", ("true", [], None, None)), ("socket.connect", (None, None)),
    ("os.kill", (1, 9)), ("import", ("scaleblind.tasks",)), ("ctypes.dlopen", ("libc.so.6",)),
    ("ctypes.dlsym", (None, "syscall")),
    ("os.remove", ("/etc/x", None)), ("os.rename", ("a", "/etc/x", None, None)), ("os.link", ("a", "b")),
    ("sqlite3.enable_load_extension", (None, True)),
])
def test_refused_events(guard, event, args):
    assert refused(guard, event, *args)


def global_names(code: types.CodeType) -> list[str]:
    names = [i.argval for i in dis.get_instructions(code) if i.opname in ("LOAD_GLOBAL", "LOAD_NAME")]
    return names + [n for const in code.co_consts if isinstance(const, types.CodeType) for n in global_names(const)]


@pytest.mark.parametrize(("event", "args"), [
    ("sqlite3.connect", (":memory:",)), ("object.__setattr__", (len, "__defaults__", None)),
    ("object.__setattr__", (len, "__code__", None)), ("object.__setattr__", (global_names, "__code__", None)),
    ("os.kill", (os.getpid(), 0)), ("os.remove", ("tmp.csv", None)), ("import", ("numpy",)),
    ("mmap.__new__", (-1, 4096, 0, 0)),
])
def test_allowed_events(guard, event, args):
    assert not refused(guard, event, *args)


def test_the_hooks_own_code_cannot_be_replaced_any_other_functions_can(guard):
    """numpy replaces its own functions' __code__ at import; the hook's functions keep theirs."""
    own = [guard] + [cell.cell_contents for cell in guard.__closure__
                     if isinstance(cell.cell_contents, types.FunctionType)]
    assert len(own) >= 5
    for function in own:
        assert refused(guard, "object.__setattr__", function, "__code__", None), function.__name__


def test_numpy_imports_under_the_hook():
    import subprocess
    import sys
    from scaleblind.graders.process import SOLUTION_LIB
    code = ("import sys; sys.path.insert(0, sys.argv[1]); import sb_bootstrap; "
            "sys.addaudithook(sb_bootstrap.make_guard([], [])); import numpy, pandas; print(numpy.arange(3).sum())")
    out = subprocess.run([sys.executable, "-c", code, str(SOLUTION_LIB)], capture_output=True, text=True)
    assert out.stdout.strip() == "3", out.stderr[-800:]


def test_nothing_the_solution_reaches_changes_the_hook(guard):
    """Its code reads no global name, and its frame (in the traceback of any refusal) holds only immutable
    values, builtins, classes and functions without closures."""
    assert global_names(guard.__code__) == []
    for name, cell in zip(guard.__code__.co_freevars, guard.__closure__):
        value = cell.cell_contents
        if isinstance(value, types.FunctionType):
            assert value.__closure__ is None and global_names(value.__code__) == [], name
        else:
            assert isinstance(value, (tuple, str, int, type, types.MappingProxyType, types.BuiltinFunctionType)) \
                or type(value) is object, (name, type(value))
            if isinstance(value, tuple):
                assert all(not isinstance(item, (list, dict, set)) for item in value), name


def test_reassigning_module_globals_and_builtins_changes_nothing(places, monkeypatch):
    """(Patching the real builtins would break pytest itself: `hostile/audit_hook_off.py` does that inside a
    solution process.)"""
    scratch, secret = places
    monkeypatch.chdir(scratch)
    guard = sb_bootstrap.make_guard([str(secret)], [str(scratch)])
    monkeypatch.setattr(sb_bootstrap, "DENIED_EVENTS", ())
    monkeypatch.setattr(sb_bootstrap, "PATH_EVENTS", {})
    monkeypatch.setattr(sb_bootstrap, "WRITE_FLAGS", 0)
    monkeypatch.setattr(os, "readlink", lambda *a: "/")
    monkeypatch.setattr(os.path, "realpath", lambda *a, **k: str(scratch / "x"))
    for builtin in ("isinstance", "len", "type", "str", "PermissionError", "OSError"):  # module names shadow builtins
        monkeypatch.setattr(sb_bootstrap, builtin, lambda *a: None, raising=False)
    assert refused(guard, "open", str(secret / "reference.py"), "r", os.O_RDONLY)
    assert refused(guard, "open", "/proc/self/clear_refs", "w", os.O_WRONLY)
    assert refused(guard, "subprocess.Popen", "true", [], None, None)
    assert refused(guard, "os.remove", "/etc/x", None)
