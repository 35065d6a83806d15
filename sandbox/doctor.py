"""`scaleblind sandbox doctor`: prove on this host that the sandbox really isolates, one line per check.

A limit that Docker accepts is not necessarily a limit the kernel enforces (cgroup controllers can be missing,
rootless engines ignore some options), so each check runs a small hostile probe in a real container.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

# docker_available: the CLI asks the doctor whether an engine answers.
from scaleblind.sandbox.engine import docker_available, probe_client  # noqa: F401
from scaleblind.sandbox import memory_cgroup
from scaleblind.sandbox.image import IMAGE_REPO, image_tag
from scaleblind.sandbox.leftovers import leftover_cgroups, leftovers, remove_leftovers
from scaleblind.sandbox.settings import Limits

PROBE_LIMITS = dict(memory_mb=96, solution_memory_mb=64, cpus=0.5, pids=32, timeout_s=60)


@dataclass(frozen=True)
class Check:
    """One doctor finding; `fix` says what to do when `ok` is False."""

    name: str
    ok: bool
    detail: str = ""
    problem: str = ""
    fix: str = ""

    def line(self) -> str:
        if self.ok:
            return f"ok    {self.name}: {self.detail}"
        return f"FAIL  {self.name}: {self.problem} -> fix: {self.fix}"


def check_engine() -> tuple[Check, Any]:
    try:
        client = probe_client()
        version = client.version()
    except Exception as exc:
        return Check("engine", False, problem=f"Docker Engine not reachable ({type(exc).__name__})",
                     fix="start it (`systemctl start docker`) or set DOCKER_HOST; or use `--sandbox local`"), None
    detail = f"Docker {version.get('Version')} (API {version.get('ApiVersion')})"
    return Check("engine", True, detail), client


def check_image(client: Any) -> Check:
    tag = image_tag()
    tags = [t for image in client.images.list(name=IMAGE_REPO) for t in image.tags]
    if tag in tags:
        return Check("image", True, f"{tag} present and current")
    stale = f" (stale: {', '.join(tags)})" if tags else ""
    return Check("image", False, problem=f"{tag} not built for the current inputs{stale}",
                 fix="scaleblind sandbox build")


NO_CGROUP_FIX = (f"run the grader as root (membership of the docker group is not enough to create cgroups), or "
                 f"set {memory_cgroup.PARENT_ENV} to a cgroup folder you may create cgroups in that is owned "
                 "by uid 0; until then memory budgets are measured by sampling RSS, which a solution can evade")


def check_memory_cgroup() -> Check:
    """Can this host give each container's solutions a memory cgroup of their own (`memory_cgroup.py`)?"""
    try:
        cgroup = memory_cgroup.create(memory_cgroup.Shape(64))
    except memory_cgroup.Unavailable as exc:
        return Check("memory cgroup", False, problem=str(exc), fix=NO_CGROUP_FIX)
    memory_cgroup.remove(cgroup.path)
    version, parent = cgroup.hierarchy.version, cgroup.path.parent
    missing = sorted({"pids", "cpu"} - set(cgroup.controllers)) if version == 2 else []
    if missing:
        return Check("memory cgroup", False, problem=f"cgroup v2 offers no {'/'.join(missing)} controller to "
                     f"{parent}: a solution moved there leaves the container's {'/'.join(missing)} limit",
                     fix=f"enable them in {parent.parent}/cgroup.subtree_control (`echo +pids +cpu > ...`)")
    return Check("memory cgroup", True, f"cgroup v{version} under {parent}: each container's solutions get a "
                 f"cgroup of their own ({', '.join(cgroup.controllers)})")


# Probes run as uid 1001 unless noted; each prints one word the check looks for.
MEMORY_PROBE = "b = bytearray(400 * 1024 * 1024); b[::4096] = b'x' * len(b[::4096]); print('ALLOCATED')"
PIDS_PROBE = """
import os, time
n = 0
try:
    for _ in range(200):
        if os.fork() == 0:
            time.sleep(5); os._exit(0)
        n += 1
except OSError:
    pass
print('FORKED', n)
"""
NETWORK_PROBE = """
import os, socket
ifaces = sorted(os.listdir('/sys/class/net'))
try:
    socket.create_connection(('1.1.1.1', 53), timeout=3); reached = 'yes'
except OSError as exc:
    reached = 'no'
print('IFACES', ','.join(ifaces), 'REACHED', reached)
"""
FS_PROBE = """
import os
results = []
for path in ('/usr/probe', '/etc/probe', '/opt/probe'):
    try:
        open(path, 'w').write('x'); results.append('wrote ' + path)
    except OSError: pass
try:
    os.listdir('/opt/scaleblind'); results.append('read /opt/scaleblind')
except OSError: pass
open('/scratch/ok', 'w').write('x')
print('FS', ';'.join(results) or 'contained')
"""
# As root (the driver's rights): make a child cgroup with a 32 MB limit, move a child process into it, drop it
# to uid 1001; it tries to leave or loosen its cgroup, then to allocate 128 MB.
CGROUP_PROBE = """
import os, sys
root = os.environ.get('SCALEBLIND_MEMORY_CGROUP')
if not root:
    print('NO-ENV'); sys.exit()
child = os.path.join(root, 'doctor-probe')
os.mkdir(child)
v1 = os.path.exists(os.path.join(child, 'memory.limit_in_bytes'))
limit, peak = ('memory.limit_in_bytes', 'memory.max_usage_in_bytes') if v1 else ('memory.max', 'memory.peak')
def put(path, value):
    fd = os.open(path, os.O_WRONLY)
    try: os.write(fd, value.encode())
    finally: os.close(fd)
put(os.path.join(child, limit), str(32 << 20))
r, w = os.pipe()
pid = os.fork()
if pid == 0:
    os.read(r, 1)
    os.setgroups([]); os.setgid(1001); os.setuid(1001)
    denied = 0
    for path, value in ((os.path.join(root, 'cgroup.procs'), str(os.getpid())), (os.path.join(child, limit), '0'),
                        (os.path.join(root, limit), str(1 << 30)), (os.path.join(child, peak), '0')):
        try: put(path, value)
        except OSError: denied += 1
    print('DENIED', denied, flush=True)
    b = bytearray(128 << 20); b[::4096] = b'x' * len(b[::4096])
    print('ALLOCATED', flush=True)
    os._exit(0)
put(os.path.join(child, 'cgroup.procs'), str(pid))
os.write(w, b'x')
_, status = os.waitpid(pid, 0)
mb = int(open(os.path.join(child, peak)).read()) >> 20 if os.path.exists(os.path.join(child, peak)) else -1
print('KILLED' if os.WIFSIGNALED(status) and os.WTERMSIG(status) == 9 else 'SURVIVED', 'PEAK', mb)
os.rmdir(child)
"""
# As root: io_uring_setup with valid arguments (the engine's default seccomp profile allows it; ours must not).
SECCOMP_PROBE = """
import ctypes, errno
libc = ctypes.CDLL(None, use_errno=True)
result = libc.syscall(425, 4, ctypes.create_string_buffer(256))
print('IO_URING', 'ALLOWED' if result >= 0 else errno.errorcode.get(ctypes.get_errno(), '?'))
"""
CAPS_PROBE = """
status = dict(l.split(':', 1) for l in open('/proc/self/status').read().splitlines() if ':' in l)
print('CAPS', status['CapEff'].strip(), status['CapBnd'].strip(), status['NoNewPrivs'].strip())
"""


def probe(container: Any, code: str, user: str = "1001") -> tuple[int, str]:
    out = container.exec_raw(["python3", "-I", "-c", code], user=user, timeout=30)
    return out.returncode, (out.stdout + out.stderr).decode(errors="replace").strip()


def check_memory(container: Any) -> Check:
    code, text = probe(container, MEMORY_PROBE)
    if "ALLOCATED" not in text and code != 0:
        return Check("memory limit", True, f"400 MB allocation under a 96 MB limit was stopped (exit {code})")
    return Check("memory limit", False, problem="a 400 MB allocation succeeded under a 96 MB limit",
                 fix="enable the memory cgroup controller (kernel cmdline `cgroup_enable=memory`), restart docker")


def check_pids(container: Any) -> Check:
    _, text = probe(container, PIDS_PROBE)
    forked = int(text.split()[-1]) if text.startswith("FORKED") else -1
    if 0 <= forked < 32:
        return Check("pids limit", True, f"fork stopped after {forked} children under pids_limit=32")
    return Check("pids limit", False, problem=f"forked {forked} children under pids_limit=32",
                 fix="enable the pids cgroup controller and restart docker")


def check_network(container: Any) -> Check:
    _, text = probe(container, NETWORK_PROBE)
    if text == "IFACES lo REACHED no":
        return Check("network", True, "only loopback; outside connection refused")
    return Check("network", False, problem=f"network visible in the sandbox ({text})",
                 fix="the engine must honour network_mode=none; check for a daemon-wide network override")


def check_filesystem(container: Any) -> Check:
    _, text = probe(container, FS_PROBE)
    if text == "FS contained":
        return Check("filesystem", True, "root read-only, runtime unreadable by uid 1001, /scratch writable")
    return Check("filesystem", False, problem=text or "probe failed",
                 fix="rebuild the image (`scaleblind sandbox build --force`) and keep read_only=True")


def check_solution_cgroup(container: Any) -> Check | None:
    """The solutions' cgroup as the driver uses it: a child's limit holds, and uid 1001 cannot loosen it."""
    if container.cgroup is None:
        return None  # `check_memory_cgroup` already said why
    _, text = probe(container, CGROUP_PROBE, user="root")
    if "DENIED 4" in text and "KILLED" in text and "ALLOCATED" not in text:
        peak = text.split()[-1]
        return Check("solution cgroup", True, f"128 MB under a 32 MB child cgroup was OOM-killed (peak {peak} MB); "
                     "uid 1001 could neither leave, loosen nor reset it")
    return Check("solution cgroup", False, problem=f"the solutions' cgroup did not hold ({' '.join(text.split())})",
                 fix="check that the bind mount at /sandbox-cgroup is read-write and the memory controller is on")


def check_seccomp(container: Any) -> Check:
    _, text = probe(container, SECCOMP_PROBE, user="root")
    if text in ("IO_URING EPERM", "IO_URING ENOSYS"):
        return Check("seccomp", True, f"our profile is on: io_uring_setup refused to root ({text.split()[1]})")
    return Check("seccomp", False, problem=f"io_uring_setup was not refused ({text})",
                 fix="the engine must honour security_opt seccomp=<profile> (check `docker info` for seccomp)")


def check_privileges(container: Any) -> Check:
    _, text = probe(container, CAPS_PROBE, user="root")
    if text == "CAPS 00000000000000c0 00000000000000c0 1":
        return Check("privileges", True, "root in the sandbox holds only SETUID+SETGID, no-new-privileges on")
    return Check("privileges", False, problem=f"unexpected capabilities ({text})",
                 fix="the engine dropped cap_drop/security_opt; check for a daemon-wide override or old engine")


def probe_checks() -> list[Check]:
    """Run the enforcement probes in one throwaway container (about 2 s)."""
    from scaleblind.sandbox.pool import acquire  # imports inspect: only when the probes run

    container = acquire(Limits(**PROBE_LIMITS))
    try:
        return [check for check in (run(container) for run in PROBES) if check is not None]
    finally:
        container.kill("doctor done")


# The pids probe last: its children linger a few seconds and would starve a later probe's fork.
PROBES: list[Callable[[Any], Check | None]] = [check_privileges, check_seccomp, check_filesystem, check_network,
                                               check_memory, check_solution_cgroup, check_pids]


def check_leftovers(client: Any, clean: bool) -> Check:
    if clean:
        removed = remove_leftovers(client)
        return Check("leftovers", True, f"removed {len(removed)} leftover container(s) and cgroup(s)")
    containers, cgroups = leftovers(client), leftover_cgroups(client)
    if not containers and not cgroups:
        return Check("leftovers", True, "no containers or cgroups left by dead runs")
    return Check("leftovers", False, problem=f"{len(containers)} container(s) and {len(cgroups)} cgroup(s) "
                 "left by dead runs", fix="scaleblind sandbox doctor --clean")


def doctor(clean: bool = False) -> list[Check]:
    """Every check, in the order a user would fix them; probes only run once engine and image are fine."""
    engine_check, client = check_engine()
    if client is None:
        return [engine_check]
    checks = [engine_check, check_leftovers(client, clean), check_memory_cgroup(), check_image(client)]
    if checks[-1].ok:
        checks += probe_checks()
    return checks


def main(argv: list[str] | None = None) -> int:
    """`python -m scaleblind.sandbox.doctor [--clean]`: exit 1 when anything is wrong."""
    import sys

    checks = doctor(clean="--clean" in (argv if argv is not None else sys.argv[1:]))
    for check in checks:
        print(check.line())
    return 0 if all(c.ok for c in checks) else 1


if __name__ == "__main__":
    raise SystemExit(main())
