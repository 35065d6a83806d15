"""Hostile solutions from issue 11's audit classes, graded end to end (`--sandbox local`, the driver as a
subprocess, the solution as its child): each gets a verdict, never a harness error, and leaves nothing behind.

Memory attacks run under both meters: the memory cgroup the Docker sandbox hands the driver (here a cgroup the
test makes, when it runs as root with a writable cgroupfs) and the VmHWM fallback. The same files run in Docker
in `test_driver_hostile_docker.py`.
"""
from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from driver_support import Attack, failing_tier, grade, make_cgroup, remove_cgroup

from scaleblind.sandbox.local import LocalSandbox

pytestmark = pytest.mark.slow

ATTACKS = [
    # finding 1 (driver side) and 8: freeze the driver, use memory meanwhile, free it, reset the mark
    Attack("freeze_bloat_reset", "reporting/top_products", ("over_memory",)),
    # finding 7: memory outside the heap (memfd) is the solution's, not the driver's or the container's
    Attack("memory_outside_the_heap", "reporting/top_products", ("over_memory",), needs_cgroup=True),
    # finding 7: messages that crashed the driver are the platform's 400 or the solution's crash
    Attack("unhashable_client", "filters/faceted_catalog", ("crash",), "'client' must be a string"),
    Attack("deep_nesting_call", "filters/faceted_catalog", ("crash",), "nested deeper than 64 levels"),
    Attack("deep_nesting_raw", "filters/faceted_catalog", ("crash",), "not JSON"),
    Attack("bad_argument", "filters/faceted_catalog", ("crash",), "BadRequest: 400: list_products: page must be int"),
    Attack("lone_surrogate", "filters/faceted_catalog", ("crash",), "unpaired surrogate"),
    Attack("protocol_garbage", "filters/faceted_catalog", ("crash",), "protocol violation"),
    Attack("blob_reply", "reporting/top_products", ("crash",), "BadRequest: 400: the result holds a value JSON"),
    Attack("huge_result", "reporting/top_products", ("crash",), "BadRequest: the result holds more than 5,000,000"),
    Attack("sink_flood", "exports/orders_csv", ("crash",), "BadRequest: output larger than the sink accepts"),
    # finding 7: whatever a tier leaves in its scratch space, the next starts clean
    Attack("scratch_mess", "filters/faceted_catalog", (None,), tiers=None),
    # finding 8: the latency kill holds while the driver waits to write (on a crowded machine the wall timeout
    # may come first: CPU-bound attacks accept either)
    Attack("spin_while_frozen", "reporting/top_products", ("over_latency", "timeout")),
    # finding 9: an oversized message is refused, found in linear time
    Attack("oversized_message", "filters/faceted_catalog", ("crash",), "longer than 64 MB"),
    # finding 6: module-level CPU is charged, and bounded long before the wall timeout
    Attack("module_level_spin", "filters/faceted_catalog", ("over_latency", "timeout")),
    Attack("module_level_forever", "filters/faceted_catalog", ("over_latency", "timeout"), "module-level code used"),
    # finding 10: the audit hook cannot be switched off from inside
    Attack("audit_hook_off", "filters/faceted_catalog", ("crash",), "escaped: none; changed: nothing",
           local_only=True),
]
MEMORY_ATTACKS = {"freeze_bloat_reset", "memory_outside_the_heap"}


@pytest.fixture(scope="module")
def cgroup():
    path = make_cgroup()
    yield path
    if path is not None:
        assert remove_cgroup(path) == [], "the driver left memory cgroups behind"


@pytest.fixture(autouse=True)
def host_unharmed(tmp_path: Path, monkeypatch):
    """Scratch space under the test's own folder: it must be empty afterwards; no solution process may survive."""
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setenv("SCALEBLIND_SCRATCH", str(scratch))
    sentinel = tmp_path / "sentinel"
    sentinel.write_text("host data")
    yield
    assert list(scratch.iterdir()) == [], "the driver left scratch files behind"
    assert sentinel.read_text() == "host data"
    assert survivors(str(scratch)) == []
    assert subprocess.run(["true"]).returncode == 0


def survivors(scratch: str) -> list[int]:
    """Processes still running from this test's scratch space (the solution's HOME is its scratch dir)."""
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            environ = Path(f"/proc/{pid}/environ").read_bytes()
        except OSError:
            continue
        if f"HOME={scratch}".encode() in environ:
            found.append(int(pid))
    return found


def cases():
    for attack in ATTACKS:
        meters = ("cgroup", "vmhwm") if attack.name in MEMORY_ATTACKS else ("any",)
        for meter in meters:
            if not (attack.needs_cgroup and meter == "vmhwm"):
                yield pytest.param(attack, meter, id=f"{attack.name}-{meter}")


@pytest.mark.parametrize(("attack", "meter"), list(cases()))
def test_hostile_solution_gets_its_verdict(attack: Attack, meter: str, cgroup, monkeypatch):
    if meter == "cgroup" and cgroup is None:
        pytest.skip("needs root and a writable memory cgroup hierarchy")
    if meter == "vmhwm" or cgroup is None:
        monkeypatch.delenv("SCALEBLIND_MEMORY_CGROUP", raising=False)
    else:
        monkeypatch.setenv("SCALEBLIND_MEMORY_CGROUP", str(cgroup))
    verdict = grade(attack, LocalSandbox(memory_cgroup=meter != "vmhwm"))   # a HarnessError would raise: no verdict lost
    assert verdict["failure"] in attack.failures, (verdict["failure"], failing_tier(verdict).get("message"))
    if attack.failures == (None,):
        assert verdict["scale_correct"]
        return
    assert not verdict["correct_at_demo"]
    if verdict["failure"] == attack.failures[0]:
        assert attack.says in (failing_tier(verdict).get("message") or ""), failing_tier(verdict).get("message")
    expected_meter = "cgroup" if meter == "cgroup" or (meter == "any" and cgroup is not None) else "vmhwm"
    assert all(t["memory_meter"] == expected_meter for t in verdict["tiers"])
