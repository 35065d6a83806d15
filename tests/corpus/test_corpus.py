"""The recorded corpus of real model answers (corpus/) graded end to end: the graders' test of record.

Every answer gets a verdict from its own behaviour: no harness error, no stale prompt, and every answer that is
not scale-correct is explained, one line each, in corpus/README.md (the verdict read against the code).
"""
import re
import warnings
from pathlib import Path

import pytest

from scaleblind.graders.corpus import answers, grade_recorded, grade_recorded_records
from scaleblind.sandbox.registry import default_sandbox

CORPUS = Path(__file__).resolve().parents[2] / "corpus"
FOLDERS = sorted(p.parent for p in CORPUS.glob("*/answers.jsonl"))
EXPLAINED = re.compile(r"^\| `(?P<task>[a-z_]+/[a-z_]+)` \| (?P<variant>[a-z_]+) \| (?P<epoch>\d+) \| "
                       r"(?P<verdict>[a-z_]+(?:@[a-z]+)?) \|", re.M)


def explained() -> dict[tuple[str, str, int], str]:
    text = (CORPUS / "README.md").read_text(encoding="utf-8")
    return {(m["task"], m["variant"], int(m["epoch"])): m["verdict"] for m in EXPLAINED.finditer(text)}


def test_the_corpus_holds_three_epochs_of_vague_and_blueprint_for_every_task_it_covers():
    assert FOLDERS, "no recorded corpus"
    for folder in FOLDERS:
        cells: dict[tuple[str, str], set[int]] = {}
        for record in answers(folder):
            cells.setdefault((record["task_id"], record["variant"]), set()).add(record["epoch"])
        tasks = {task for task, _ in cells}
        for task in tasks:
            for variant in ("vague", "blueprint"):
                assert len(cells.get((task, variant), set())) >= 3, (folder.name, task, variant)


def verdict_of(graded) -> str:
    return "scale-correct" if graded.scale_correct else \
        graded.failure + (f"@{graded.failure_tier}" if graded.failure_tier else "")


@pytest.mark.slow
@pytest.mark.docker
@pytest.mark.parametrize("folder", FOLDERS, ids=lambda p: p.name)
def test_every_recorded_answer_gets_a_verdict_of_its_own_and_each_failure_is_explained(folder):
    """No harness error, no stale answer, and every failure explained in corpus/README.md. A verdict that
    differs from the one explained is graded again: CPU-bound verdicts near a budget can change between
    gradings on a busy host (README, "CPU calibration"); one that changes twice is a real difference and fails."""
    graded = grade_recorded(folder, default_sandbox(), workers=2)
    assert [g for g in graded if g.harness_error] == []
    assert [g for g in graded if g.stale] == []
    notes = explained()
    differs = [g for g in graded if verdict_of(g) != notes.get((g.task_id, g.variant, g.epoch), "scale-correct")]
    if differs:
        records = {(r["task_id"], r["variant"], r["epoch"]): r for r in answers(folder)}
        again = {(g.task_id, g.variant, g.epoch): g for g in grade_recorded_records(
            [records[(g.task_id, g.variant, g.epoch)] for g in differs])}
        for g in differs:
            key = (g.task_id, g.variant, g.epoch)
            expected = notes.get(key, "scale-correct")
            if verdict_of(again[key]) == expected:
                warnings.warn(f"{key}: graded {verdict_of(g)} once, then {expected} as explained (CPU noise)")
            else:
                pytest.fail(f"{key}: {verdict_of(g)}, then {verdict_of(again[key])}; corpus/README.md explains "
                            f"{expected!r}: read the code again and explain the verdict")
