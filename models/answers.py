"""Answers from models without an API: a run's prompts exported as files, the replies imported for `replay/`.

A chat UI, a coding agent or a person (a human baseline) is evaluated like any model: `export` writes every
prompt of a planned run (tasks x variants x epochs) as Markdown files, answerers write their replies beside
them, and `import` turns the replies into `replay` records that `scaleblind run --model replay/DIR` grades.

The layout serves honest collection. One answerer gets one *set*: the prompts of one variant and one epoch
(an answerer who has seen a blueprint prompt must not answer a vague one), in a folder whose names say
nothing about the task, the variant or the benchmark. What maps the neutral names back stays outside it:

    DIR/manifest.json          request -> task, task version, variant, epoch, turn, prompt hash; versions, dates
    DIR/README.md              how to collect (for the person running the collection)
    DIR/briefs/set-01.md       the brief for set-01's answerer, its folder filled in
    DIR/set-01/request-1.md    one prompt, exactly as a model would receive it
    DIR/set-01/answers/        empty: the answerer writes answers/request-1.md
    DIR/set-02/request-1/turn-1.md, turn-2.md    a two-turn variant: one file per user turn

Requests are shuffled within a set (seeded), so request numbers do not line up with tasks across sets and a
person's fatigue does not always fall on the same tasks.
"""
from __future__ import annotations

import hashlib
import json
import random
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path
from string import Template
from typing import Any, Iterable

from ..prompts.render import UnknownVariant, parse_variant_spec, prompts_version, render
from ..tasks.registry import UnknownTask, all_tasks, get_task, tasks_in_split
from .replay import ANSWERS_FILE, LABEL_FILE, check_label

FORMAT = "scaleblind-answers/1"
MANIFEST = "manifest.json"
ANSWERS_FOLDER = "answers"
TEMPLATES = Path(__file__).resolve().parent / "templates"
PROJECT_ROOT = Path(__file__).resolve().parents[1]
REVEALING = ("scaleblind", "benchmark")  # besides variant and task names, words the answerer must not see


class AnswersError(ValueError):
    """Bad input to export or import: the command line prints it as one line."""


@dataclass(frozen=True)
class PromptFile:
    """One exported prompt: where it is, what it is, and where its answer goes (paths relative to DIR)."""

    set: str
    request: str
    turn: int
    task_id: str
    task_version: str
    variant: str
    epoch: int
    prompt_file: str
    answer_file: str
    prompt_sha256: str


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def now() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


def _variants(names: Iterable[str]) -> list[str]:
    """Plain variant names: a chat UI or a person cannot be sampled at a chosen temperature."""
    out = []
    for name in names:
        try:
            run = parse_variant_spec(name)
        except (ValueError, UnknownVariant) as exc:
            raise AnswersError(str(exc)) from None
        if run.temperature is not None:
            raise AnswersError(f"variant {name!r}: answers collected without an API cannot set a temperature; "
                               f"export {run.name!r}")
        out.append(run.name)
    return list(dict.fromkeys(out))


def plan(task_ids: list[str], variants: list[str], epochs: int, per_set: int | None,
         seed: int) -> list[PromptFile]:
    """Every prompt file of the export, set by set: one variant and one epoch per set, requests shuffled."""
    if epochs < 1:
        raise AnswersError("--epochs must be at least 1")
    if per_set is not None and per_set < 1:
        raise AnswersError("--per-set must be at least 1")
    try:
        specs = [get_task(t) for t in task_ids]
    except UnknownTask as exc:
        raise AnswersError(str(exc)) from None
    files, number = [], 0
    for variant in _variants(variants):
        for epoch in range(1, epochs + 1):
            order = list(specs)
            random.Random(f"{seed}:{variant}:{epoch}").shuffle(order)
            size = per_set or len(order)
            for start in range(0, len(order), size):
                number += 1
                files += _set_files(f"set-{number:02d}", order[start:start + size], variant, epoch)
    return files


def _set_files(name: str, specs: list, variant: str, epoch: int) -> list[PromptFile]:
    files = []
    for index, spec in enumerate(specs, 1):
        turns = render(spec, variant)
        request = f"request-{index}"
        for turn, text in enumerate(turns, 1):
            relative = f"{request}.md" if len(turns) == 1 else f"{request}/turn-{turn}.md"
            files.append(PromptFile(name, request, turn, spec.id, str(spec.version), variant, epoch,
                                    f"{name}/{relative}", f"{name}/{ANSWERS_FOLDER}/{relative}", sha256(text)))
    return files


def export(out: Path, task_ids: list[str] | None, variants: list[str], epochs: int,
           per_set: int | None = None, seed: int = 0) -> dict[str, Any]:
    """Write the prompt files, empty answer folders, briefs, README and manifest; return the manifest."""
    from ..evaluation import taskset_version
    files = plan(task_ids or [s.id for s in tasks_in_split(None)], variants, epochs, per_set, seed)
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise AnswersError(f"{out} exists and is not an empty folder: export into a new one")
    for f in files:
        text = render(get_task(f.task_id), f.variant)[f.turn - 1]
        path = out / f.prompt_file
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text + "\n", encoding="utf-8")
        (out / f.set / ANSWERS_FOLDER).mkdir(exist_ok=True)
    sets = _sets(files)
    manifest = {"format": FORMAT, "created": now(), "taskset_version": taskset_version(),
                "prompts_version": prompts_version(), "package_version": _package_version(), "seed": seed,
                "tasks": list(dict.fromkeys(f.task_id for f in files)), "epochs": epochs,
                "variants": list(dict.fromkeys(f.variant for f in files)), "sets": sets,
                "prompts": [asdict(f) for f in files]}
    (out / MANIFEST).write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    for entry in sets:
        brief = out / "briefs" / f"{entry['set']}.md"
        brief.parent.mkdir(exist_ok=True)
        brief.write_text(answerer_brief((out / entry["set"]).resolve(), entry["turns"]), encoding="utf-8")
    (out / "README.md").write_text(_readme(out, manifest), encoding="utf-8")
    return manifest


def _sets(files: list[PromptFile]) -> list[dict[str, Any]]:
    sets: dict[str, dict[str, Any]] = {}
    for f in files:
        entry = sets.setdefault(f.set, {"set": f.set, "variant": f.variant, "epoch": f.epoch, "turns": 1,
                                        "requests": 0})
        entry["turns"] = max(entry["turns"], f.turn)
        entry["requests"] += f.turn == 1
    return list(sets.values())


def answerer_brief(folder: Path, turns: int) -> str:
    """What to tell the answerer of one set (the collection procedure's brief, its folder filled in)."""
    if turns == 1:
        fields = {"request_files": "request-N.md", "answer_files": f"{ANSWERS_FOLDER}/request-N.md in that folder",
                  "turns": ""}
    else:
        fields = {"request_files": "request-N/turn-1.md, request-N/turn-2.md, ... (each turn is one message "
                  "of the same conversation)", "answer_files": f"{ANSWERS_FOLDER}/request-N/turn-K.md in that folder",
                  "turns": " The turns of a request are one conversation: write your reply to turn 1 before you "
                  "open turn 2, and so on."}
    return Template((TEMPLATES / "answerer_brief.md").read_text(encoding="utf-8")).substitute(
        folder=folder, **fields)


def _readme(out: Path, manifest: dict[str, Any]) -> str:
    options = (f"--tasks {','.join(manifest['tasks'])} --variants {','.join(manifest['variants'])} "
               f"--epochs {manifest['epochs']}")
    return Template((TEMPLATES / "answers_readme.md").read_text(encoding="utf-8")).substitute(
        created=manifest["created"], taskset_version=manifest["taskset_version"],
        prompts_version=manifest["prompts_version"], n_requests=sum(s["requests"] for s in manifest["sets"]),
        n_sets=len(manifest["sets"]), folder=out, run_options=options)


def path_warnings(out: Path) -> list[str]:
    """Why the export folder's path might tell an answerer what it is being asked (the answerer sees it)."""
    path = out.resolve()
    words = {*REVEALING, *(w.lower() for w in revealing_words())}
    named = sorted(w for w in words if w in str(path).lower())
    warnings = []
    if named:
        warnings.append(f"the answerers see the set folders' path, and {path} names {', '.join(named)}: "
                        "copy each set folder somewhere neutral before handing it over")
    if path.is_relative_to(PROJECT_ROOT):
        warnings.append(f"{path} is inside the scaleblind checkout; answerers must not be near the repository: "
                        "copy each set folder outside it")
    return warnings


def revealing_words() -> set[str]:
    """Variant names and task names (with underscores as typed), the words that would give a request away."""
    from ..prompts.render import variant_names
    names = set(variant_names())
    for task_id in all_tasks():
        family, task = task_id.split("/")
        names |= {task, task.replace("_", "-"), family}
    return names


def _package_version() -> str:
    from importlib.metadata import PackageNotFoundError, version
    try:
        return version("scaleblind")
    except PackageNotFoundError:
        return "unknown"


@dataclass(frozen=True)
class Imported:
    records: list[dict[str, Any]]
    missing: list[str]      # one line per prompt without an answer
    unexpected: list[str]   # files in answers/ folders that no prompt asked for
    run_options: str        # the `scaleblind run` options that ask exactly the exported prompts


def read_manifest(folder: Path) -> dict[str, Any]:
    path = folder / MANIFEST
    if not folder.is_dir():
        raise AnswersError(f"no such folder: {folder}")
    if not path.is_file():
        raise AnswersError(f"no {MANIFEST} in {folder}: pass the folder `scaleblind answers export --out` wrote")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise AnswersError(f"{path} is not valid JSON ({exc})") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise AnswersError(f"{path} is not a scaleblind answers manifest (format {FORMAT})")
    return manifest


def collect(folder: Path, label: str) -> Imported:
    """Read every answer of an export; prompts must be unchanged, in the files and in what `run` asks now."""
    manifest = read_manifest(folder)
    try:
        check_label(label, "--model")
    except ValueError as exc:
        raise AnswersError(str(exc).removeprefix("replay: ")) from None
    try:
        files = [PromptFile(**entry) for entry in manifest["prompts"]]
    except (KeyError, TypeError) as exc:
        raise AnswersError(f"{folder / MANIFEST} lists prompts in an unknown shape ({exc})") from None
    stale = [f.prompt_file for f in files if _current_sha(f) != f.prompt_sha256]
    if stale:
        raise AnswersError(f"{len(stale)} of {len(files)} prompts differ from what `scaleblind run` asks now (a task "
                           f"or the prompt wording changed since the export), e.g. {stale[0]}; the answers were "
                           "written to the old text: export again and collect new answers")
    imported_at = now()
    records, missing, answered_sets = [], [], set()
    for f in files:
        prompt = _read_prompt(folder, f)
        answer_path = folder / f.answer_file
        answer = answer_path.read_text(encoding="utf-8", errors="replace") if answer_path.is_file() else ""
        if not answer.strip():
            missing.append(f"missing answer: {f.answer_file} (task {f.task_id}, variant {f.variant}, "
                           f"epoch {f.epoch}, turn {f.turn})")
            continue
        answered_sets.add(f.set)
        records.append({"task_id": f.task_id, "variant": f.variant, "epoch": f.epoch, "turn": f.turn,
                        "answer": answer, "prompt": prompt, "task_version": f.task_version,
                        "prompt_sha256": f.prompt_sha256, "model": label, "source": f.answer_file,
                        "exported": manifest.get("created"), "imported": imported_at,
                        "taskset_version": manifest.get("taskset_version"),
                        "prompts_version": manifest.get("prompts_version")})
    empty = sorted({f.set for f in files} - answered_sets)
    if empty:
        raise AnswersError(f"no answers at all in {', '.join(f'{s}/{ANSWERS_FOLDER}/' for s in empty)} under "
                           f"{folder}: collect them first (or import from the right folder)")
    options = (f"--tasks {','.join(dict.fromkeys(f.task_id for f in files))} "
               f"--variants {','.join(dict.fromkeys(f.variant for f in files))} "
               f"--epochs {max(f.epoch for f in files)}")
    return Imported(records, missing, _unexpected(folder, files), options)


def _current_sha(f: PromptFile) -> str | None:
    try:
        turns = render(get_task(f.task_id), f.variant)
    except (UnknownTask, UnknownVariant):
        return None
    return sha256(turns[f.turn - 1]) if f.turn <= len(turns) else None


def _read_prompt(folder: Path, f: PromptFile) -> str:
    path = folder / f.prompt_file
    if not path.is_file():
        raise AnswersError(f"prompt file missing: {path} (the export is incomplete; export again)")
    text = path.read_text(encoding="utf-8")
    text = text[:-1] if text.endswith("\n") else text
    if sha256(text) != f.prompt_sha256:
        raise AnswersError(f"{path} changed since the export (its hash differs from {MANIFEST})")
    return text


def _unexpected(folder: Path, files: list[PromptFile]) -> list[str]:
    expected = {f.answer_file for f in files}
    found = []
    for answers in sorted({folder / f.set / ANSWERS_FOLDER for f in files}):
        for path in sorted(answers.rglob("*")) if answers.is_dir() else []:
            relative = path.relative_to(folder).as_posix()
            if path.is_file() and relative not in expected:
                found.append(f"ignored, no request of that name: {relative}")
    return found


def write_replay(out: Path, label: str, records: list[dict[str, Any]], source: Path) -> None:
    """The replay folder: answers as JSONL (what `replay/` reads) and the label reports show for them."""
    ours = {ANSWERS_FILE, LABEL_FILE}
    if out.exists() and (not out.is_dir() or {p.name for p in out.iterdir()} - ours):
        raise AnswersError(f"{out} holds other files: import into a new folder (or one an earlier import wrote)")
    out.mkdir(parents=True, exist_ok=True)
    (out / ANSWERS_FILE).write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records),
                                    encoding="utf-8")
    (out / LABEL_FILE).write_text(json.dumps({"label": label, "source": str(source.resolve()),
                                              "imported": now(), "answers": len(records)}, indent=1) + "\n",
                                  encoding="utf-8")
