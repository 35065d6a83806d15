"""The memory cgroup meter against the real kernel (needs root and a writable memory cgroup hierarchy)."""
from __future__ import annotations

import subprocess
import sys

import pytest
from driver_support import make_cgroup, remove_cgroup

from scaleblind.graders.memory import MB, CgroupMeter, limit_mb

HOLD = "import sys; block = bytearray(int(sys.argv[1]) * 1024 * 1024); block[::4096] = b'1' * len(block[::4096])"


@pytest.fixture
def base():
    path = make_cgroup()
    if path is None:
        pytest.skip("needs root and a writable memory cgroup hierarchy")
    yield path
    assert remove_cgroup(path) == []


def hold(meter: CgroupMeter, megabytes: int) -> int:
    """A process that joins the meter's cgroup before exec (as the solution does) and touches `megabytes`."""
    return subprocess.run([sys.executable, "-c", HOLD, str(megabytes)], preexec_fn=meter.join,
                          stderr=subprocess.DEVNULL).returncode


def test_the_peak_counts_what_the_process_touched_and_survives_it(base):
    meter = CgroupMeter(base, "peak", 256 * MB)
    assert hold(meter, 96) == 0
    assert 96 <= meter.peak_mb() < 140 and not meter.oom_killed()
    meter.close()
    assert not meter.path.exists()


def test_the_kernel_kills_at_the_limit_and_the_meter_says_so(base):
    meter = CgroupMeter(base, "oom", 64 * MB)
    assert hold(meter, 200) == -9
    assert meter.oom_killed() and meter.peak_mb() >= 60
    meter.close()


def test_the_limit_leaves_room_to_measure_over_the_budget():
    assert limit_mb(128) == 256 and limit_mb(None) == 1024
