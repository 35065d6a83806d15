"""The audit's packed-rows attack end to end: the naive reporting/daily_revenue rewritten to pack its rows with
json_group_array pays one row per request but every byte of it (hostile/packed_rows.py)."""
from __future__ import annotations

from pathlib import Path

from driver_support import HOSTILE

from scaleblind.graders.driver import TierRun
from scaleblind.platforms.database import DatabaseConfig
from scaleblind.tasks.registry import get_task

TASK = "reporting/daily_revenue"


def run_launch(code: str, tmp_path: Path, name: str) -> dict:
    spec = get_task(TASK)
    root = tmp_path / name
    root.mkdir()
    return TierRun(spec, spec.tier("launch"), 0, code, 1.0, root).run()


def test_a_packed_result_is_charged_for_its_bytes(tmp_path: Path, monkeypatch):
    monkeypatch.delenv("SCALEBLIND_MEMORY_CGROUP", raising=False)
    spec = get_task(TASK)
    per_kb_ms = DatabaseConfig.from_spec(spec.platform["db"]).per_kb_ms
    packed = run_launch((HOSTILE / "packed_rows.py").read_text(), tmp_path, "packed")
    plain = run_launch((spec.folder / "naive.py").read_text(), tmp_path, "plain")
    assert packed["failure"] is None and plain["failure"] is None
    assert [r["db_rows"] for r in packed["requests"]] == [1] * spec.tier("launch").requests
    assert packed["db_bytes"] >= plain["db_bytes"] > 100_000
    for request in packed["requests"]:    # each request's I/O holds its bytes' charge
        assert request["io_ms"] >= request["db_bytes"] / 1000 * per_kb_ms > 0
