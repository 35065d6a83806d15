"""`reference/scalable` and `reference/naive`: answer every prompt with the task's own solution.

They calibrate the pipeline end to end: through the same solver, scorer and sandbox as a real model, the
scalable one must be scale-correct on every sample and the naive one correct at demo size but never at scale.
"""
from __future__ import annotations

from pathlib import Path
from string import Template

from inspect_ai.model import modelapi

from ..tasks.registry import NAIVE_MODULE, REFERENCE_MODULE, get_task, solution_path
from .base import OfflineModelAPI, Turn

PROVIDER = "reference"
SOLUTIONS = {"scalable": REFERENCE_MODULE, "naive": NAIVE_MODULE}  # model name -> task file
ANSWER_TEMPLATE = Path(__file__).resolve().parent / "templates" / "reference_answer.md"


def reference_answer(task_id: str, solution: str) -> str:
    """The task's solution file as a Markdown model answer (prose, then one python block)."""
    spec = get_task(task_id)
    code = solution_path(spec, solution).read_text(encoding="utf-8").strip()
    return Template(ANSWER_TEMPLATE.read_text(encoding="utf-8")).substitute(
        title=spec.title.lower(), bottleneck=spec.bottleneck, code=code)


class ReferenceModelAPI(OfflineModelAPI):
    def __init__(self, model_name: str, **kwargs: object) -> None:
        if model_name not in SOLUTIONS:
            raise ValueError(f"unknown model {PROVIDER}/{model_name}; choose from "
                             + ", ".join(f"{PROVIDER}/{name}" for name in SOLUTIONS))
        super().__init__(model_name, **kwargs)

    def respond(self, turn: Turn) -> str:
        return reference_answer(turn.task_id, SOLUTIONS[self.model_name])


@modelapi(name=PROVIDER)
def reference() -> type[ReferenceModelAPI]:
    return ReferenceModelAPI
