"""Our seccomp profile (`sandbox/seccomp.json`): applied to every container, it refuses the system calls a
single-threaded Python solution never needs (io_uring first: the engine's default profile allows it), even
to root in the container, and keeps everything Python 3.11, numpy and pandas use."""

from __future__ import annotations

import json
import textwrap
from typing import Any

import anyio
import pytest

from scaleblind.sandbox.settings import SECCOMP_PROFILE, Limits, container_kwargs, seccomp_option

# Never allowed, whatever the caller's rights (sandbox/README.md says why for each).
REFUSED = {"io_uring_setup", "io_uring_enter", "io_uring_register", "io_setup", "io_submit", "userfaultfd",
           "keyctl", "add_key", "request_key", "bpf", "perf_event_open", "kexec_load", "kexec_file_load",
           "ptrace", "process_vm_readv", "process_vm_writev", "mount", "umount2", "fsopen", "fsmount",
           "move_mount", "open_tree", "pivot_root", "unshare", "setns", "memfd_create", "memfd_secret", "mlock",
           "mlockall", "modify_ldt", "name_to_handle_at", "open_by_handle_at", "vmsplice", "splice",
           "init_module", "finit_module", "swapon", "reboot", "chroot", "clock_settime", "adjtimex", "acct",
           "quotactl", "syslog", "lookup_dcookie", "kcmp", "pidfd_getfd", "sync"}


def allowed_names() -> set[str]:
    profile = json.loads(SECCOMP_PROFILE.read_text())
    return {name for rule in profile["syscalls"] if rule["action"] == "SCMP_ACT_ALLOW" for name in rule["names"]}


def test_profile_is_an_allow_list_without_the_refused_calls() -> None:
    profile = json.loads(SECCOMP_PROFILE.read_text())
    assert profile["defaultAction"] == "SCMP_ACT_ERRNO" and profile["defaultErrnoRet"] == 1  # EPERM
    assert not REFUSED & allowed_names(), sorted(REFUSED & allowed_names())
    clone = [r for r in profile["syscalls"] if r["names"] == ["clone"]]
    assert clone and all(r["args"][0]["op"] == "SCMP_CMP_MASKED_EQ" and r["args"][0]["value"] == 0x7E020000
                         for r in clone), "clone must never take a namespace flag"
    sockets = [r["args"][0]["value"] for r in profile["syscalls"] if r["names"] == ["socket"]]
    assert sorted(sockets) == [1, 2, 10]  # AF_UNIX, AF_INET, AF_INET6


def test_every_container_gets_the_profile() -> None:
    options = container_kwargs("scaleblind-sandbox:abc", Limits())["security_opt"]
    assert options == ["no-new-privileges", seccomp_option()]
    assert json.loads(seccomp_option().removeprefix("seccomp=")) == json.loads(SECCOMP_PROFILE.read_text())


# System call numbers differ by architecture; io_uring_setup (425) is the same on both.
NUMBERS = {
    "x86_64": {"io_uring_setup": 425, "io_setup": 206, "userfaultfd": 323, "keyctl": 250, "bpf": 321,
               "perf_event_open": 298, "ptrace": 101, "process_vm_readv": 310, "unshare": 272, "setns": 308,
               "mount": 165, "memfd_create": 319, "mlock": 149, "modify_ldt": 154},
    "aarch64": {"io_uring_setup": 425, "io_setup": 0, "userfaultfd": 282, "keyctl": 219, "bpf": 280,
                "perf_event_open": 241, "ptrace": 117, "process_vm_readv": 270, "unshare": 97, "setns": 268,
                "mount": 40, "memfd_create": 279, "mlock": 228},
}
PROBE = textwrap.dedent("""
    import ctypes, errno, json, platform, sys
    numbers = json.loads(sys.argv[1])[platform.machine()]
    libc = ctypes.CDLL(None, use_errno=True)
    params = ctypes.create_string_buffer(256)
    args = {'io_uring_setup': (4, params), 'unshare': (0x10000000,), 'memfd_create': (b'x', 0),
            'io_setup': (4, ctypes.byref(ctypes.c_ulong())), 'mlock': (0, 4096)}
    for name, number in numbers.items():
        ctypes.set_errno(0)
        result = libc.syscall(number, *args.get(name, (0, 0, 0, 0, 0)))
        print(name, 'ALLOWED' if result >= 0 else errno.errorcode.get(ctypes.get_errno(), '?'))
""")


@pytest.mark.docker
@pytest.mark.parametrize("user", ["1001", "root"])
def test_refused_calls_fail_with_eperm_in_the_container(shared: Any, user: str) -> None:
    """io_uring_setup with valid arguments succeeds under the engine's default profile; here it must not."""
    result = anyio.run(lambda: shared.exec(["python3", "-c", PROBE, json.dumps(NUMBERS)], user=user, timeout=30))
    outcomes = dict(line.split() for line in result.stdout.splitlines())
    assert result.success and outcomes, result.stderr
    assert outcomes["io_uring_setup"] in ("EPERM", "ENOSYS")
    assert set(outcomes.values()) == {"EPERM"}, outcomes


PYDATA = textwrap.dedent("""
    import os, tempfile, subprocess, sys
    import numpy as np, pandas as pd
    frame = pd.DataFrame({'k': np.arange(50_000) % 97, 'v': np.random.default_rng(0).random(50_000)})
    ranked = frame.groupby('k')['v'].agg(['sum', 'mean', 'count']).sort_values('sum')
    path = os.path.join(tempfile.gettempdir(), 'frame.csv')
    frame.merge(ranked, left_on='k', right_index=True).to_csv(path)
    assert len(pd.read_csv(path)) == 50_000
    np.linalg.svd(np.random.default_rng(1).random((120, 120)))
    print(pd.to_datetime(['2024-03-01']).tz_localize('UTC').tz_convert('Europe/Paris')[0].hour)
    import asyncio, selectors, signal, socket, sqlite3, threading, mmap, json
    asyncio.run(asyncio.sleep(0))
    print(subprocess.run([sys.executable, '-c', 'print(7)'], capture_output=True, text=True).stdout.strip())
""")


@pytest.mark.docker
def test_python_numpy_and_pandas_work_under_the_profile(shared: Any) -> None:
    result = anyio.run(lambda: shared.exec(["python3", "-c", PYDATA], user="1001", timeout=60))
    assert result.success, result.stderr
    assert result.stdout.split() == ["1", "7"]
