"""Answers from models without an API: export -> answer -> import -> replay (label, prompt check) -> run.

The end-to-end test answers with a scripted answerer that sees only one set folder, as the collection
procedure prescribes, and writes chat-like answers (prose, the module, a usage example, a test, an optional
snippet) that only grade right when extraction takes the module and not the commentary.
"""
import asyncio
import json
import re
from pathlib import Path

import pytest
from inspect_ai.model import ChatMessageUser, GenerateConfig, get_model

from scaleblind.cli import main
from scaleblind.models import answers as answers_module
from scaleblind.models.answers import MANIFEST, AnswersError, collect, export, path_warnings, write_replay
from scaleblind.models.base import Turn
from scaleblind.models.replay import ChangedPrompt, ReplayModelAPI
from scaleblind.prompts.render import render, variant_names
from scaleblind.tasks.registry import all_tasks, get_task, solution_path

TASK = "data_access/order_details"
OTHER = "filters/faceted_catalog"
NEUTRAL = re.compile(r"^(request-\d+(\.md)?|turn-\d+\.md|answers)$")


def cli(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def exported(tmp_path: Path, variants=("vague", "design_then_implement"), epochs=2, tasks=(TASK, OTHER),
             **kwargs) -> tuple[Path, dict]:
    out = tmp_path / "export"
    return out, export(out, list(tasks), list(variants), epochs, **kwargs)


# --- the scripted answerer: it reads one set folder and nothing else ------------------------------------

def chat_answer(prompt: str) -> str:
    """The reference solution the way chat answers come: prose, module, usage, a test and an optional snippet."""
    entry = re.search(r"def (\w+)\(", prompt).group(1)
    spec = next(s for s in all_tasks().values() if s.entry == entry)
    code = solution_path(spec, "reference").read_text().strip()
    return (f"Here's a module that keeps the work on the platform's side.\n\n```python\n{code}\n```\n\n"
            f"### Usage\n\n```python\nresult = {entry}(client, *example_args)\nprint(result)\n```\n\n"
            f"### A quick test\n\n```python\nfrom my_module import {entry}\n\n\ndef test_{entry}():\n"
            f"    assert {entry}(FakeClient(), *example_args) is not None\n```\n\n"
            "Optionally, log how long each call takes:\n\n```python\nclient.enable_timing(True)\n```\n")


def answer_set(folder: Path) -> None:
    """Answer every request of one set folder; a two-turn request keeps its turn-1 prompt as context."""
    for request in sorted(p for p in folder.iterdir() if p.name.startswith("request-")):
        if request.is_dir():
            first = (request / "turn-1.md").read_text()
            replies = {"turn-1.md": "Design: one query for the page, one per related table, joined in memory.",
                       "turn-2.md": chat_answer(first)}
            for name, text in replies.items():
                target = folder / "answers" / request.name / name
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(text)
        else:
            (folder / "answers" / request.name).write_text(chat_answer(request.read_text()))


# --- export ---------------------------------------------------------------------------------------------

def test_one_set_per_variant_and_epoch_with_neutral_names_and_the_manifest_outside(tmp_path):
    out, manifest = exported(tmp_path)
    sets = sorted(p for p in out.iterdir() if p.name.startswith("set-"))
    assert [s.name for s in sets] == ["set-01", "set-02", "set-03", "set-04"]
    assert {(s["variant"], s["epoch"]) for s in manifest["sets"]} == {
        (v, e) for v in ("vague", "design_then_implement") for e in (1, 2)}
    revealing = {*variant_names(), *(part for t in all_tasks() for part in t.split("/")), "scaleblind", "manifest"}
    for folder in sets:
        for path in folder.rglob("*"):
            assert NEUTRAL.match(path.name), path
            assert not any(word in path.relative_to(out).as_posix() for word in revealing)
        assert not any((folder / "answers").iterdir())
    assert (out / MANIFEST).is_file() and not list(out.glob("set-*/**/manifest*"))
    assert {p.name for p in out.iterdir()} == {"set-01", "set-02", "set-03", "set-04", "briefs", "README.md", MANIFEST}


def test_prompt_files_hold_exactly_the_prompt_a_model_receives(tmp_path):
    out, manifest = exported(tmp_path)
    for entry in manifest["prompts"]:
        text = render(get_task(entry["task_id"]), entry["variant"])[entry["turn"] - 1]
        assert (out / entry["prompt_file"]).read_text() == text + "\n"
        assert entry["task_version"] == str(get_task(entry["task_id"]).version)
    two_turn = [e for e in manifest["prompts"] if e["variant"] == "design_then_implement"]
    assert {e["prompt_file"].split("/", 1)[1] for e in two_turn} == {
        f"request-{n}/turn-{t}.md" for n in (1, 2) for t in (1, 2)}
    assert {"created", "taskset_version", "prompts_version"} <= manifest.keys()


def test_each_brief_names_its_own_folder_and_the_readme_the_run_to_grade(tmp_path):
    out, manifest = exported(tmp_path)
    for entry in manifest["sets"]:
        brief = (out / "briefs" / f"{entry['set']}.md").read_text()
        assert str((out / entry["set"]).resolve()) in brief
        assert ("turn 1 before you open turn 2" in brief) == (entry["turns"] == 2)
        assert not any(word in brief for word in ("vague", "blueprint", "scaleblind", TASK))
    readme = (out / "README.md").read_text()
    assert f"--tasks {TASK},{OTHER} --variants vague,design_then_implement --epochs 2" in readme


def test_requests_are_shuffled_per_set_by_the_seed_and_split_by_per_set(tmp_path):
    tasks = list(all_tasks())[:6]
    orders = {seed: [e["task_id"] for e in export(tmp_path / f"s{seed}", tasks, ["vague"], 2, seed=seed)["prompts"]]
              for seed in (0, 1)}
    assert sorted(orders[0][:6]) == sorted(tasks) and orders[0][:6] != orders[0][6:]   # epochs differ
    assert orders[0] != orders[1]
    again = [e["task_id"] for e in export(tmp_path / "again", tasks, ["vague"], 2, seed=0)["prompts"]]
    assert again == orders[0]
    split = export(tmp_path / "split", tasks, ["vague"], 1, per_set=4)
    assert [s["requests"] for s in split["sets"]] == [4, 2]


def test_a_revealing_export_path_is_warned_about():
    assert path_warnings(Path("/tmp/collection-7")) == []
    assert "blueprint" in path_warnings(Path("/tmp/blueprint-answers"))[0]
    assert "scaleblind" in path_warnings(Path("/tmp/scaleblind-prompts"))[0]
    assert "order_details" in path_warnings(Path("/tmp/order_details"))[0]
    assert any("inside the scaleblind checkout" in w for w in path_warnings(answers_module.PROJECT_ROOT / "x"))


# --- import ---------------------------------------------------------------------------------------------

def test_import_reads_every_answer_back_with_its_prompt_and_the_label(tmp_path):
    out, manifest = exported(tmp_path)
    for folder in out.glob("set-*"):
        answer_set(folder)
    imported = collect(out, "chat/scripted")
    assert not imported.missing and not imported.unexpected
    assert len(imported.records) == len(manifest["prompts"])
    keys = {(r["task_id"], r["variant"], r["epoch"], r["turn"]) for r in imported.records}
    assert keys == {(e["task_id"], e["variant"], e["epoch"], e["turn"]) for e in manifest["prompts"]}
    for record in imported.records:
        assert record["prompt"] == render(get_task(record["task_id"]), record["variant"])[record["turn"] - 1]
        assert record["model"] == "chat/scripted"
    assert imported.run_options == f"--tasks {TASK},{OTHER} --variants vague,design_then_implement --epochs 2"


def test_missing_answers_are_one_line_each_and_a_set_without_any_fails(tmp_path):
    out, _ = exported(tmp_path, variants=("vague",), epochs=1)
    (out / "set-01" / "answers" / "request-1.md").write_text("Use a join.")
    (out / "set-01" / "answers" / "reply-2.md").write_text("misnamed")
    imported = collect(out, "human/alice")
    assert len(imported.records) == 1
    assert len(imported.missing) == 1 and "set-01/answers/request-2.md" in imported.missing[0]
    assert imported.unexpected == ["ignored, no request of that name: set-01/answers/reply-2.md"]
    (out / "set-01" / "answers" / "request-1.md").write_text("  \n")   # blank counts as missing
    with pytest.raises(AnswersError, match="no answers at all in set-01/answers/"):
        collect(out, "human/alice")


def test_a_prompt_changed_since_the_export_is_refused(tmp_path, monkeypatch):
    out, _ = exported(tmp_path, variants=("vague",), epochs=1)
    answer_set(out / "set-01")
    edited = out / "set-01" / "request-1.md"
    original = edited.read_text()
    edited.write_text(original.replace("Write", "Please write"))
    with pytest.raises(AnswersError, match="changed since the export"):
        collect(out, "x")
    edited.write_text(original)
    monkeypatch.setattr(answers_module, "render", lambda spec, variant: ["reworded prompt"])
    with pytest.raises(AnswersError, match="differ from what `scaleblind run` asks now"):
        collect(out, "x")


def test_the_replay_folder_holds_only_what_import_writes(tmp_path):
    out, _ = exported(tmp_path, variants=("vague",), epochs=1)
    answer_set(out / "set-01")
    replay_dir = tmp_path / "replay"
    imported = collect(out, "human/bob")
    write_replay(replay_dir, "human/bob", imported.records, out)
    write_replay(replay_dir, "human/bob", imported.records, out)   # a re-import after more answers came in
    assert json.loads((replay_dir / "model.json").read_text())["label"] == "human/bob"
    (replay_dir / "other.jsonl").write_text("{}")
    with pytest.raises(AnswersError, match="holds other files"):
        write_replay(replay_dir, "human/bob", imported.records, out)


# --- replay: the label and the prompt check -------------------------------------------------------------

def replay_folder(tmp_path: Path, label: str | None, prompt: str | None = "the prompt") -> Path:
    folder = tmp_path / "rec"
    folder.mkdir(parents=True)
    line = {"task_id": TASK, "variant": "vague", "epoch": 1, "turn": 1, "answer": "A"}
    (folder / "answers.jsonl").write_text(json.dumps({**line, **({"prompt": prompt} if prompt else {})}) + "\n")
    if label:
        (folder / "model.json").write_text(json.dumps({"label": label}))
    return folder


def test_the_label_is_the_model_name_and_the_path_is_not(tmp_path):
    folder = replay_folder(tmp_path, "human/alice")
    model = get_model(f"replay/{folder}")
    assert str(model) == "replay/human/alice" and str(folder) not in str(model)
    assert str(get_model(f"replay/{folder}", label="other-label")) == "replay/other-label"   # -M label=...
    assert ReplayModelAPI(str(replay_folder(tmp_path / "b", None))).model_name == str(tmp_path / "b" / "rec")
    with pytest.raises(ValueError, match="bad label"):
        ReplayModelAPI(str(replay_folder(tmp_path / "c", "no spaces allowed")))


def test_replay_refuses_an_answer_written_to_another_prompt(tmp_path):
    model = ReplayModelAPI(str(replay_folder(tmp_path, "x")))
    stamp = Turn(TASK, "vague", 1, 1).stamp()

    def ask(text: str):
        return asyncio.run(model.generate([ChatMessageUser(content=text, metadata=stamp)], [], "auto",
                                          GenerateConfig()))

    assert ask("the prompt").completion == "A"
    with pytest.raises(ChangedPrompt, match="another prompt"):
        ask("a reworded prompt")
    old_style = ReplayModelAPI(str(replay_folder(tmp_path / "b", None, prompt=None)))
    assert old_style.respond(Turn(TASK, "vague", 1, 1)) == "A"   # records without a prompt are not checked


# --- the command line -----------------------------------------------------------------------------------

@pytest.mark.parametrize("argv, fragment", [
    (["answers", "export", "--tasks", "no/such", "--out", "{tmp}/a"], "unknown task"),
    (["answers", "export", "--variants", "vague,nonsense", "--out", "{tmp}/a"], "unknown variant"),
    (["answers", "export", "--variants", "vague@t=1.0", "--out", "{tmp}/a"], "cannot set a temperature"),
    (["answers", "export", "--epochs", "0", "--out", "{tmp}/a"], "--epochs must be at least 1"),
    (["answers", "export", "--per-set", "0", "--out", "{tmp}/a"], "--per-set must be at least 1"),
    (["answers", "export", "--out", "{tmp}/full"], "is not an empty folder"),
    (["answers", "import", "{tmp}/nowhere", "--model", "m", "--out", "{tmp}/r"], "no such folder"),
    (["answers", "import", "{tmp}/full", "--model", "m", "--out", "{tmp}/r"], "no manifest.json"),
    (["answers", "import", "{tmp}/badjson", "--model", "m", "--out", "{tmp}/r"], "not valid JSON"),
    (["answers", "import", "{tmp}/export", "--model", "bad label", "--out", "{tmp}/r"], "bad label"),
    (["answers", "import", "{tmp}/export", "--model", "m", "--out", "{tmp}/r"], "no answers at all"),
])
def test_bad_input_is_one_line_and_exit_2(capsys, tmp_path, argv, fragment):
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "x").write_text("x")
    (tmp_path / "badjson").mkdir()
    (tmp_path / "badjson" / MANIFEST).write_text("{")
    export(tmp_path / "export", [TASK], ["vague"], 1)
    code, _, err = cli(capsys, *[a.replace("{tmp}", str(tmp_path)) for a in argv])
    lines = [line for line in err.splitlines() if line.startswith("scaleblind: error:")]
    assert code == 2 and len(lines) == 1 and fragment in lines[0], err
    assert "Traceback" not in err


def test_import_prints_missing_answers_and_the_run_to_grade(capsys, tmp_path):
    out, replay_dir = tmp_path / "export", tmp_path / "replay"
    assert cli(capsys, "answers", "export", "--tasks", f"{TASK},{OTHER}", "--variants", "vague",
               "--out", str(out))[0] == 0
    (out / "set-01" / "answers" / "request-2.md").write_text("some answer")
    code, stdout, err = cli(capsys, "answers", "import", str(out), "--model", "human/carol", "--out", str(replay_dir))
    assert code == 0
    assert [line for line in err.splitlines() if line.startswith("missing answer")] == [
        next(line for line in err.splitlines() if "set-01/answers/request-1.md" in line)]
    assert f"scaleblind run --model replay/{replay_dir} --tasks {TASK},{OTHER} --variants vague --epochs 1" in stdout


# --- end to end -----------------------------------------------------------------------------------------

@pytest.mark.slow
def test_export_answer_import_run_report_leaderboard(capsys, tmp_path):
    """The Done-means path of issue 9, through the command line, with the label on the leaderboard."""
    out, replay_dir, logs, site = (tmp_path / p for p in ("export", "replay", "logs", "site"))
    label = "chat/scripted-answerer"
    variants = "vague,blueprint,design_then_implement"
    assert cli(capsys, "answers", "export", "--tasks", TASK, "--variants", variants, "--out", str(out))[0] == 0
    for folder in sorted(out.glob("set-*")):
        answer_set(folder)   # sees only its own set folder
    assert cli(capsys, "answers", "import", str(out), "--model", label, "--out", str(replay_dir))[0] == 0

    code, stdout, err = cli(capsys, "run", "--model", f"replay/{replay_dir}", "--tasks", TASK, "--variants", variants,
                            "--sandbox", "local", "--log-dir", str(logs), "--display", "none")
    assert code == 0, err
    rows = [line.split() for line in stdout.splitlines() if line.startswith(f"replay/{label}")]
    assert len(rows) == 3 and all(row[3] == "100%" for row in rows), stdout   # scale-correct, every variant

    assert cli(capsys, "report", str(logs), "--out", str(site))[0] == 0
    assert cli(capsys, "leaderboard", str(logs), "--out", str(site))[0] == 0
    board = json.loads((site / "leaderboard.json").read_text())
    shown = json.dumps(board) + (site / "leaderboard.md").read_text() + (site / "index.html").read_text()
    assert f"replay/{label}" in (site / "leaderboard.md").read_text()
    assert f"replay/{label}" in (site / "index.html").read_text()
    assert str(replay_dir) not in shown
