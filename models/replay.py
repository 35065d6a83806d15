"""`replay/<dir>`: play back recorded answers, so a run can be re-graded and CI can run the whole pipeline.

`<dir>` holds `*.jsonl` files; each line is {"task_id", "variant", "epoch", "answer"} plus an optional "turn"
(default 1; two-turn variants need turns 1 and 2). `variant` is the run's label, e.g. `vague@t=1` for a
temperature run. `records_from_log` turns an inspect log into such lines.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Iterable, Iterator

from inspect_ai.model import modelapi

from .base import STAMP_KEY, OfflineModelAPI, Turn

PROVIDER = "replay"
Key = tuple[str, str, int, int]


class MissingRecording(LookupError):
    pass


def load_recordings(folder: Path) -> dict[Key, str]:
    """Every recorded answer under `folder`, keyed by (task_id, variant, epoch, turn)."""
    if not folder.is_dir():
        raise ValueError(f"{PROVIDER}: no such directory of recordings: {folder}")
    found: dict[Key, str] = {}
    for path in sorted(folder.glob("*.jsonl")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if line.strip():
                record = json.loads(line)
                key = (record["task_id"], record["variant"], int(record["epoch"]), int(record.get("turn", 1)))
                found[key] = record["answer"]
    if not found:
        raise ValueError(f"{PROVIDER}: no recordings (*.jsonl) in {folder}")
    return found


class ReplayModelAPI(OfflineModelAPI):
    def __init__(self, model_name: str, **kwargs: Any) -> None:
        super().__init__(model_name, **kwargs)
        self.recordings = load_recordings(Path(model_name))

    def respond(self, turn: Turn) -> str:
        key = (turn.task_id, turn.variant, turn.epoch, turn.turn)
        if key not in self.recordings:  # inspect caches model instances: recordings may have been added since
            self.recordings = load_recordings(Path(self.model_name))
        if key not in self.recordings:
            raise MissingRecording(f"{PROVIDER}/{self.model_name} has no answer for task {turn.task_id!r}, "
                                   f"variant {turn.variant!r}, epoch {turn.epoch}, turn {turn.turn}")
        return self.recordings[key]


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
