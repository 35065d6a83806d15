"""`replay/<dir>`: play back recorded answers, so a run can be re-graded and CI can run the whole pipeline.

`<dir>` holds `*.jsonl` files; each line is {"task_id", "variant", "epoch", "answer"} plus an optional "turn"
(default 1; two-turn variants need turns 1 and 2). `variant` is the run's label, e.g. `vague@t=1` for a
temperature run. `records_from_log` turns an inspect log into such lines; `scaleblind answers import` writes
them from answers collected without an API (see `answers.py`).

A line may keep the "prompt" its answer was written to: replay then refuses to answer a different prompt
(a task or the prompt wording changed since), since grading an answer to another question measures nothing.

The model's name in logs, reports and leaderboards is `replay/<label>`: the label comes from `-M label=...` or
from `model.json` ({"label": ...}, written by `answers import`) in `<dir>`, and without either it is the
directory path. Several directories with one label are one model to inspect (a resumed run reuses its logs).
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Iterator

from inspect_ai.model import ChatMessage, GenerateConfig, ModelOutput, modelapi
from inspect_ai.tool import ToolChoice, ToolInfo

from .base import STAMP_KEY, OfflineModelAPI, Turn, answer, current_turn

PROVIDER = "replay"
ANSWERS_FILE = "answers.jsonl"
LABEL_FILE = "model.json"
LABEL_PATTERN = r"[A-Za-z0-9][A-Za-z0-9._+:@/-]{0,99}"
Key = tuple[str, str, int, int]


class MissingRecording(LookupError):
    pass


class ChangedPrompt(LookupError):
    """The recorded answer was written to another prompt than the one the run asks."""


@dataclass(frozen=True)
class Recording:
    answer: str
    prompt: str | None = None
    source: str | None = None


def load_recordings(folder: Path) -> dict[Key, Recording]:
    """Every recorded answer under `folder`, keyed by (task_id, variant, epoch, turn)."""
    if not folder.is_dir():
        raise ValueError(f"{PROVIDER}: no such directory of recordings: {folder}")
    found: dict[Key, Recording] = {}
    for path in sorted(folder.glob("*.jsonl")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if line.strip():
                record = json.loads(line)
                key = (record["task_id"], record["variant"], int(record["epoch"]), int(record.get("turn", 1)))
                found[key] = Recording(record["answer"], record.get("prompt"), f"{path.name}:{number}")
    if not found:
        raise ValueError(f"{PROVIDER}: no recordings (*.jsonl) in {folder}")
    return found


def folder_label(folder: Path) -> str | None:
    """The label `model.json` in a recordings folder gives, if any."""
    path = folder / LABEL_FILE
    if not path.is_file():
        return None
    try:
        label = json.loads(path.read_text(encoding="utf-8")).get("label")
    except (json.JSONDecodeError, AttributeError):
        raise ValueError(f"{PROVIDER}: {path} is not a JSON object with a \"label\"") from None
    return check_label(label, path)


def check_label(label: Any, where: Any) -> str:
    if not isinstance(label, str) or not re.fullmatch(LABEL_PATTERN, label):
        raise ValueError(f"{PROVIDER}: bad label {label!r} in {where}: 1-100 characters from letters, digits "
                         "and ._+:@/-, starting with a letter or digit (e.g. claude.ai-2026-11 or human/alice)")
    return label


class ReplayModelAPI(OfflineModelAPI):
    def __init__(self, model_name: str, label: str | None = None, **kwargs: Any) -> None:
        self.folder = Path(model_name)
        self.recordings = load_recordings(self.folder)
        shown = check_label(label, "-M label=") if label is not None else folder_label(self.folder)
        super().__init__(shown or model_name, **kwargs)

    def recording(self, turn: Turn) -> Recording:
        key = (turn.task_id, turn.variant, turn.epoch, turn.turn)
        if key not in self.recordings:  # inspect caches model instances: recordings may have been added since
            self.recordings = load_recordings(self.folder)
        if key not in self.recordings:
            raise MissingRecording(f"{PROVIDER}/{self.model_name} ({self.folder}) has no answer for task "
                                   f"{turn.task_id!r}, variant {turn.variant!r}, epoch {turn.epoch}, turn {turn.turn}")
        return self.recordings[key]

    def respond(self, turn: Turn) -> str:
        return self.recording(turn).answer

    async def generate(self, input: list[ChatMessage], tools: list[ToolInfo], tool_choice: ToolChoice,
                       config: GenerateConfig) -> ModelOutput:
        turn = current_turn(input)
        recorded = self.recording(turn)
        asked = next(m.text for m in reversed(input) if m.role == "user")
        if recorded.prompt is not None and recorded.prompt != asked:
            raise ChangedPrompt(f"{PROVIDER}/{self.model_name}: the answer for task {turn.task_id!r}, variant "
                                f"{turn.variant!r}, epoch {turn.epoch}, turn {turn.turn} ({recorded.source} in "
                                f"{self.folder}) was written to another prompt than the one asked now (the task or "
                                "the prompt wording changed since): collect it again")
        output = answer(self.model_name, input, recorded.answer)
        output.metadata = {"replay": {"folder": str(self.folder), "source": recorded.source}}
        return output


def records_from_messages(messages: Iterable[Any], stamp_key: str = STAMP_KEY) -> Iterator[dict[str, Any]]:
    """Recording lines from one sample's messages: each assistant reply paired with the stamped turn before it."""
    stamp = None
    for message in messages:
        if message.role == "user":
            stamp = (message.metadata or {}).get(stamp_key)
        elif message.role == "assistant" and stamp:
            yield {**stamp, "answer": message.text}
            stamp = None


def records_from_log(path: str) -> list[dict[str, Any]]:
    """Every recorded answer in an inspect log, ready to write as JSONL for `replay/<dir>`."""
    from inspect_ai.log import read_eval_log
    log = read_eval_log(path)
    return [record for sample in log.samples or [] for record in records_from_messages(sample.messages)]


@modelapi(name=PROVIDER)
def replay() -> type[ReplayModelAPI]:
    return ReplayModelAPI
