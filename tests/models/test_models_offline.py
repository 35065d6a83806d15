"""Offline models: reference answers extract back to the task's own code; replay finds answers by key."""
import json

import pytest
from inspect_ai.model import ChatMessageUser

from scaleblind.graders.extract import extract
from scaleblind.models.base import NotAScaleblindSample, Turn, answer, current_turn
from scaleblind.models.reference import SOLUTIONS, reference_answer
from scaleblind.models.replay import MissingRecording, ReplayModelAPI, records_from_messages
from scaleblind.tasks.registry import all_tasks, solution_path

SPECS = list(all_tasks().values())


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.id)
@pytest.mark.parametrize("model", list(SOLUTIONS))
def test_reference_answer_extracts_to_the_solution_file(spec, model):
    text = reference_answer(spec.id, SOLUTIONS[model])
    found = extract(text, spec.entry)
    assert found.problem is None
    assert found.code.strip() == solution_path(spec, SOLUTIONS[model]).read_text().strip()
    assert text.index("```python") > 0  # prose first, like a model's answer


def test_turn_stamp_round_trip():
    turn = Turn("filters/faceted_catalog", "vague@t=1", 2, 1)
    assert current_turn([ChatMessageUser(content="hi", metadata=turn.stamp())]) == turn
    with pytest.raises(NotAScaleblindSample):
        current_turn([ChatMessageUser(content="an ordinary prompt")])


def test_outputs_carry_usage():
    output = answer("m", [ChatMessageUser(content="x" * 400)], "y" * 40)
    assert output.usage.input_tokens == 100 and output.usage.output_tokens == 10


def test_replay_answers_by_key_and_names_a_missing_one(tmp_path):
    lines = [{"task_id": "t", "variant": "vague", "epoch": 1, "answer": "A"},
             {"task_id": "t", "variant": "design_then_implement", "epoch": 1, "turn": 2, "answer": "B"}]
    (tmp_path / "run.jsonl").write_text("\n".join(json.dumps(line) for line in lines))
    model = ReplayModelAPI(str(tmp_path))
    assert model.respond(Turn("t", "vague", 1, 1)) == "A"
    assert model.respond(Turn("t", "design_then_implement", 1, 2)) == "B"
    with pytest.raises(MissingRecording, match="epoch 2"):
        model.respond(Turn("t", "vague", 2, 1))


def test_replay_needs_a_directory_with_recordings(tmp_path):
    with pytest.raises(ValueError, match="no recordings"):
        ReplayModelAPI(str(tmp_path))
    with pytest.raises(ValueError, match="no such directory"):
        ReplayModelAPI(str(tmp_path / "missing"))


def test_records_from_messages_pairs_answers_with_stamps():
    from inspect_ai.model import ChatMessageAssistant
    stamp = Turn("t", "v", 1, 1).stamp()
    messages = [ChatMessageUser(content="q", metadata=stamp), ChatMessageAssistant(content="a")]
    assert list(records_from_messages(messages)) == [{**stamp["scaleblind"], "answer": "a"}]
