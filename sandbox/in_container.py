"""Helpers that run *inside* a sandbox container: reset between samples, and file transfer.

The host sends this file's source with `python3 -I -S -c <source> <command> [args]` (see `container.py`), so
it is standard library only, imports nothing from scaleblind, and keeps working on the image's Python 3.11.
It is a real module (not strings in the host code) so it is linted, read and tested like any other file.

Commands and their exit codes (the host maps them to inspect's exceptions):
  reset                 print CLEAN, or DIRTY: <what is left>
  write PATH            stdin -> PATH; 3 PATH is a directory, 4 permission denied
  read PATH LIMIT       PATH -> stdout; 2 missing, 3 directory, 4 permission denied, 5 larger than LIMIT
"""

import ctypes
import os
import shutil
import signal
import sys
import time

SOLUTION_UID = 1001
WIPED = ("/scratch", "/tmp", "/dev/shm", "/dev/mqueue")  # every place a solution can write
MEMORY_CGROUP = "/sandbox-cgroup"  # the solutions' cgroup, when the host made one (settings.MEMORY_CGROUP_MOUNT)
IPC_RMID = 0


def solution_processes(me: int) -> list[int]:
    pids = []
    for name in os.listdir("/proc"):
        if name.isdigit() and int(name) != me:
            try:
                if os.stat("/proc/" + name).st_uid == SOLUTION_UID:
                    pids.append(int(name))
            except OSError:
                pass
    return pids


def empty_folder(root: str) -> None:
    """Remove everything under `root` that the caller may remove; errors are judged later by `check`."""
    try:
        names = os.listdir(root)
    except OSError:
        return
    for name in names:
        path = os.path.join(root, name)
        try:
            if os.path.isdir(path) and not os.path.islink(path):
                shutil.rmtree(path, ignore_errors=True)
            else:
                os.unlink(path)
        except OSError:
            pass


def clean_as_solution() -> None:
    """As uid 1001: kill every uid-1001 process, open up and delete what it owns, drop its SysV IPC.

    Root here lacks CAP_DAC_OVERRIDE and CAP_KILL, so only the owner can undo a 0700 folder or kill its
    processes; the owner is exactly what must be removed."""
    me = os.getpid()
    for _ in range(200):
        try:
            os.kill(-1, signal.SIGKILL)  # every process this uid may signal, never the caller itself
        except ProcessLookupError:
            pass
        if not solution_processes(me):
            break
        time.sleep(0.01)
    for root in WIPED:
        for base, dirs, _ in os.walk(root, topdown=True):  # open each folder before walking into it
            for name in dirs:
                path = os.path.join(base, name)
                try:
                    if os.lstat(path).st_uid == SOLUTION_UID:
                        os.chmod(path, 0o777)
                except OSError:
                    pass
        empty_folder(root)
    libc = ctypes.CDLL(None, use_errno=True)
    removers = {"shm": (7, lambda i: libc.shmctl(i, IPC_RMID, None)),
                "msg": (7, lambda i: libc.msgctl(i, IPC_RMID, None)),
                "sem": (4, lambda i: libc.semctl(i, 0, IPC_RMID))}
    for kind, (uid_column, remove) in removers.items():
        try:
            rows = open("/proc/sysvipc/" + kind).read().splitlines()[1:]
        except OSError:
            continue
        for row in rows:
            columns = row.split()
            if int(columns[uid_column]) == SOLUTION_UID:
                remove(int(columns[1]))


def other_processes(me: int) -> dict[int, tuple[int, bytes, int]]:
    """pid -> (ppid, command, uid) of every process but init, its `sleep` child and the caller."""
    found = {}
    for name in os.listdir("/proc"):
        if not name.isdigit() or int(name) in (1, me):
            continue
        try:
            stat = open("/proc/%s/stat" % name).read().rsplit(")", 1)[1].split()
            command = open("/proc/%s/cmdline" % name, "rb").read().split(b"\0")[0]
            found[int(name)] = (int(stat[1]), command, os.stat("/proc/" + name).st_uid)
        except OSError:
            pass
    return {pid: v for pid, v in found.items() if not (v[0] == 1 and v[1] == b"/bin/sleep" and v[2] == 0)}


def remove_child_cgroups(root: str) -> list[str]:
    """Remove the cgroups the driver made in the solutions' cgroup, deepest first; report what will not go.

    A cgroup folder goes with `rmdir` once no process is in it (a just-killed one may take a moment). One
    left behind would carry a sample's memory account into the next sample."""
    problems = []
    for _ in range(20):
        problems = []
        children = [os.path.join(base, name) for base, dirs, _ in os.walk(root) for name in dirs]
        for path in sorted(children, key=lambda p: -p.count("/")):
            try:
                os.rmdir(path)
            except OSError as exc:
                problems.append("cgroup %s (%s)" % (path, exc.strerror))
        if not problems:
            break
        time.sleep(0.05)
    return problems


def clean_as_root() -> list[str]:
    """As root (only SETUID/SETGID): kill what the driver left, wipe the writable places, list what is left."""
    me = os.getpid()
    for _ in range(50):
        left = other_processes(me)
        if not left:
            break
        for pid, (_, _, uid) in left.items():
            if uid == 0:
                try:
                    os.kill(pid, signal.SIGKILL)
                except OSError:
                    pass
        time.sleep(0.01)
    problems = ["process %d uid %d %r" % (pid, v[2], v[1]) for pid, v in other_processes(me).items()]
    for root in WIPED:
        empty_folder(root)
        problems += ["leftover %s/%s" % (root, name) for name in os.listdir(root)]
    problems += remove_child_cgroups(MEMORY_CGROUP)
    for kind in ("shm", "msg", "sem"):
        rows = open("/proc/sysvipc/" + kind).read().splitlines()[1:]
        problems += ["sysv %s %s" % (kind, row.split()[1]) for row in rows]
    return problems


def reset() -> int:
    """The solution uid's part first (in a child dropped to uid 1001), then root's part and the check."""
    child = os.fork()
    if child == 0:
        try:
            os.setgroups([])
            os.setgid(SOLUTION_UID)
            os.setuid(SOLUTION_UID)
            clean_as_solution()
        finally:
            os._exit(0)
    os.waitpid(child, 0)
    problems = clean_as_root()
    print("CLEAN" if not problems else "DIRTY: " + "; ".join(problems[:5]))
    return 0


def write(path: str) -> int:
    if os.path.isdir(path):
        return 3
    try:
        os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
        with open(path, "wb") as handle:
            handle.write(sys.stdin.buffer.read())
    except PermissionError:
        return 4
    return 0


def read(path: str, limit: str) -> int:
    if os.path.isdir(path):
        return 3
    try:
        if os.path.getsize(path) > int(limit):
            return 5
        with open(path, "rb") as handle:
            sys.stdout.buffer.write(handle.read())
    except FileNotFoundError:
        return 2
    except PermissionError:
        return 4
    return 0


COMMANDS = {"reset": reset, "write": write, "read": read}

if __name__ == "__main__":
    sys.exit(COMMANDS[sys.argv[1]](*sys.argv[2:]))
