"""The recorded corpus of real model answers (corpus/) graded end to end: the graders' test of record.

Every answer gets a verdict from its own behaviour: no harness error, no stale prompt, and every answer that is
not scale-correct is explained, one line each, in corpus/README.md (the verdict read against the code).
"""
import re
from pathlib import Path

import pytest

from scaleblind.graders.corpus import answers, grade_recorded
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


@pytest.mark.slow
@pytest.mark.docker
@pytest.mark.parametrize("folder", FOLDERS, ids=lambda p: p.name)
def test_every_recorded_answer_gets_a_verdict_of_its_own_and_each_failure_is_explained(folder):
    graded = grade_recorded(folder, default_sandbox(), workers=2)
    assert [g for g in graded if g.harness_error] == []
    assert [g for g in graded if g.stale] == []
    notes = explained()
    failing = {(g.task_id, g.variant, g.epoch): g.failure + (f"@{g.failure_tier}" if g.failure_tier else "")
               for g in graded if not g.scale_correct}
    unexplained = {key: verdict for key, verdict in failing.items() if notes.get(key) != verdict}
    assert unexplained == {}, "explain each in corpus/README.md (or the verdict changed: read the code again)"
