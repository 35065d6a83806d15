"""A long-lived worker keeps its connections: every request of a tier gets the same client objects, so a
solution that keys a cache on its client (`if db is not self._db: reload`) is not charged a reload per request.
An output stream is the same object too, but each request writes afresh (closing it in one request is fine)."""
import asyncio

import pytest

from scaleblind.graders.grade import grade_answer
from scaleblind.sandbox.local import LocalSandbox
from scaleblind.tasks.registry import get_task, solution_path

pytestmark = pytest.mark.slow


def wrapped_reference(task_id: str, check: str, after: str = "") -> str:
    """The task's reference with its entry wrapped: `check` runs on the keyword arguments of every request
    before the reference, `after` once it has answered (its answer in `value`)."""
    spec = get_task(task_id)
    return solution_path(spec, "reference").read_text() + f"""

_reference_entry = {spec.entry}
_first = {{}}


def {spec.entry}(*args, **kwargs):
    clients = {{name: kwargs[name] for name in {list(spec.clients)!r}}}
{check}
    value = _reference_entry(*args, **kwargs)
{after}
    return value
"""


def grade(task_id: str, code: str) -> dict:
    return asyncio.run(grade_answer(get_task(task_id), code, LocalSandbox(), tiers=["demo"]))


def test_every_request_gets_the_same_client_objects():
    check = """    for name, client in clients.items():
        if _first.setdefault(name, client) is not client:
            raise RuntimeError(f"request got a new {name} object")"""
    verdict = grade("reporting/daily_revenue", wrapped_reference("reporting/daily_revenue", check))
    assert verdict["failure"] is None, verdict["tiers"][0].get("message")
    assert verdict["tiers"][0]["requests_done"] > 1


def test_an_output_stream_closed_by_one_request_is_open_for_the_next():
    check = """    if kwargs["out"].closed:
        raise RuntimeError("the output stream is still closed")"""
    after = """    kwargs["out"].close()"""
    verdict = grade("exports/orders_csv", wrapped_reference("exports/orders_csv", check, after))
    assert verdict["failure"] is None, verdict["tiers"][0].get("message")
