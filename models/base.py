"""What the offline models share: finding which sample a prompt belongs to, and answers with token usage.

The solver stamps every user turn's `metadata` with the sample's identity (task id, variant, epoch, turn).
Real providers never send message metadata to the model, so the prompt text stays identical for every model;
our offline models read the stamp instead of guessing from the text.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from inspect_ai.model import ChatMessage, GenerateConfig, ModelAPI, ModelOutput, ModelUsage
from inspect_ai.tool import ToolChoice, ToolInfo

STAMP_KEY = "scaleblind"
CHARS_PER_TOKEN = 4  # a rough count: these models are free, the number only has to exist


class NotAScaleblindSample(ValueError):
    """The prompt did not come from the scaleblind task, so an offline model cannot answer it."""


@dataclass(frozen=True)
class Turn:
    task_id: str
    variant: str
    epoch: int
    turn: int

    def stamp(self) -> dict[str, Any]:
        return {STAMP_KEY: {"task_id": self.task_id, "variant": self.variant, "epoch": self.epoch,
                            "turn": self.turn}}


def current_turn(messages: list[ChatMessage]) -> Turn:
    """The stamp on the last user message."""
    for message in reversed(messages):
        if message.role == "user":
            data = (message.metadata or {}).get(STAMP_KEY)
            if data:
                return Turn(data["task_id"], data["variant"], int(data["epoch"]), int(data["turn"]))
            break
    raise NotAScaleblindSample("offline scaleblind models answer only the scaleblind task's prompts "
                               "(the last user message carries no scaleblind stamp)")


def tokens(text: str) -> int:
    return max(1, len(text) // CHARS_PER_TOKEN)


def answer(model: str, messages: list[ChatMessage], text: str) -> ModelOutput:
    """A ModelOutput with usage filled in, so inspect never reaches for a tokenizer download."""
    output = ModelOutput.from_content(model=model, content=text)
    prompt = sum(tokens(m.text) for m in messages)
    output.usage = ModelUsage(input_tokens=prompt, output_tokens=tokens(text), total_tokens=prompt + tokens(text))
    return output


class OfflineModelAPI(ModelAPI):
    """A model API that needs no key and no network; subclasses say what to answer for a turn."""

    def __init__(self, model_name: str, base_url: str | None = None, api_key: str | None = None,
                 config: GenerateConfig = GenerateConfig(), **model_args: Any) -> None:
        super().__init__(model_name=model_name, base_url=base_url, api_key=api_key, config=config)

    def respond(self, turn: Turn) -> str:
        raise NotImplementedError

    async def generate(self, input: list[ChatMessage], tools: list[ToolInfo], tool_choice: ToolChoice,
                       config: GenerateConfig) -> ModelOutput:
        return answer(self.model_name, input, self.respond(current_turn(input)))

    async def count_text_tokens(self, text: str) -> int:
        return tokens(text)

    def max_connections(self) -> int:
        return 32
