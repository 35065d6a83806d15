"""How much memory the trusted driver itself needs, per task, to size the sandbox container's own limit.

With each solution in a memory cgroup of its own, the container's limit only has to hold the driver (the
tier's world, the reference run in its memory, the platform) and the short helper execs. This grades every
task's reference and naive solution in the Docker sandbox, all tiers, and polls from the host the kernel's
high-water mark (VmHWM) of every driver process and of every other process in the container (the
solution). Prints one line per task and the largest figures.

    python benchmarks/driver_memory.py [--task ID ...]
"""

from __future__ import annotations

import argparse
import os
import threading
import time
from pathlib import Path

from scaleblind.graders.validate import validate
from scaleblind.sandbox.engine import probe_client
from scaleblind.sandbox.settings import RUN_ID
from scaleblind.tasks.registry import all_tasks, get_task

DRIVER_MARK = b"scaleblind.graders.driver"


def our_containers() -> set[str]:
    """Ids of the containers this process made (other people's sandboxes on the machine are not ours)."""
    client = probe_client()
    return {c.id for c in client.containers.list(filters={"label": f"scaleblind.run={RUN_ID}"})}


def high_water_marks(containers: set[str]) -> dict[int, tuple[bool, float]]:
    """pid -> (is a driver, VmHWM in MB) for every python process in one of `containers`."""
    found = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            cgroups = Path(f"/proc/{name}/cgroup").read_text()
            if not any(container in cgroups for container in containers):
                continue
            command = Path(f"/proc/{name}/cmdline").read_bytes()
            status = Path(f"/proc/{name}/status").read_text()
        except OSError:
            continue
        if b"python3" not in command:
            continue
        hwm = next((line.split()[1] for line in status.splitlines() if line.startswith("VmHWM:")), "0")
        found[int(name)] = (DRIVER_MARK in command, int(hwm) / 1024)
    return found


class Poller(threading.Thread):
    """Keeps the largest VmHWM seen for drivers and for other processes until `take` is called."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.peaks = {True: 0.0, False: 0.0}
        self.lock = threading.Lock()

    def run(self) -> None:
        containers, checked = set(), 0.0
        while True:
            if time.monotonic() - checked > 1:
                containers, checked = our_containers(), time.monotonic()
            for is_driver, mb in high_water_marks(containers).values():
                with self.lock:
                    self.peaks[is_driver] = max(self.peaks[is_driver], mb)
            time.sleep(0.05)

    def take(self) -> tuple[float, float]:
        with self.lock:
            driver, other = self.peaks[True], self.peaks[False]
            self.peaks = {True: 0.0, False: 0.0}
        return driver, other


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--task", action="append", help="task id (repeatable); default every task")
    args = parser.parse_args()
    specs = [get_task(t) for t in args.task] if args.task else list(all_tasks().values())
    poller = Poller()
    poller.start()
    drivers = []
    for spec in specs:
        poller.take()
        result = validate([spec], "docker")[0]
        driver, other = poller.take()
        drivers.append(driver)
        print(f"{spec.id:32s} driver peak {driver:6.1f} MB   solution/helpers peak {other:6.1f} MB   "
              f"validate ok={result['ok']}", flush=True)
    print(f"largest driver peak: {max(drivers):.1f} MB over {len(drivers)} task(s)")


if __name__ == "__main__":
    main()
