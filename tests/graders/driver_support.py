"""Shared pieces for the driver's hostile tests: the hostile files, a memory cgroup of the test's own, grading."""
from __future__ import annotations

import asyncio
import os
import uuid
from dataclasses import dataclass, replace
from pathlib import Path

from scaleblind.graders.grade import grade_answer
from scaleblind.sandbox.local import LocalSandbox
from scaleblind.tasks.registry import get_task

HOSTILE = Path(__file__).with_name("hostile")
CGROUP_ROOTS = (Path("/sys/fs/cgroup/memory"), Path("/sys/fs/cgroup"))


@dataclass(frozen=True)
class Attack:
    """One hostile file, the task it attacks and the verdict it must get."""

    name: str
    task: str
    failures: tuple[str, ...]             # acceptable `failure`s (None: scale-correct)
    says: str = ""                         # in the failing tier's message
    tiers: tuple[str, ...] | None = ("demo",)
    needs_cgroup: bool = False             # the VmHWM fallback cannot see it (documented)
    local_only: bool = False               # run with the host's rights, where the audit hook is the only guard

    @property
    def code(self) -> str:
        return (HOSTILE / f"{self.name}.py").read_text()


def grade(attack: Attack, env=None) -> dict:
    spec = get_task(attack.task)
    tiers = list(attack.tiers) if attack.tiers else None
    return asyncio.run(grade_answer(spec, attack.code, env or LocalSandbox(), tiers=tiers))


def failing_tier(verdict: dict) -> dict:
    return next((t for t in verdict["tiers"] if t["tier"] == verdict["failure_tier"]), {})


def make_cgroup() -> Path | None:
    """A memory cgroup for this test run (root with a writable v1 or v2 memory hierarchy), else None."""
    if os.geteuid() != 0:
        return None
    for root in CGROUP_ROOTS:
        if (root / "memory.limit_in_bytes").exists() or (root / "cgroup.subtree_control").exists():
            path = root / f"scaleblind-test-{uuid.uuid4().hex[:10]}"
            try:
                path.mkdir()
            except OSError:
                return None
            return path
    return None


def remove_cgroup(path: Path) -> list[str]:
    """Remove the test cgroup; returns the children the driver left behind (there must be none)."""
    left = [child.name for child in path.iterdir() if child.is_dir()]
    for child in path.iterdir():
        if child.is_dir():
            child.rmdir()
    path.rmdir()
    return left


def short_timeout(spec, tier_name: str, seconds: float):
    """The tier with a short wall timeout, for attacks whose verdict is `timeout`."""
    return replace(spec.tier(tier_name), wall_timeout_s=seconds)
