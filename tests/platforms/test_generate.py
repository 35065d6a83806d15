"""GeneratedRequests: a world's requests made on demand behave as a list of the same requests."""
import pytest

from scaleblind.platforms.generate import GeneratedRequests
from scaleblind.platforms.world import Request


def test_generated_requests_are_made_on_demand_and_behave_as_a_list():
    made = []

    def make(index: int) -> Request:
        made.append(index)
        return Request({"chunk": index})

    requests = GeneratedRequests(4, make)
    assert made == [] and len(requests) == 4
    assert [r.args["chunk"] for r in requests] == [0, 1, 2, 3]
    assert [r.args for r in requests[1:3]] == [{"chunk": 1}, {"chunk": 2}] and requests[-1].args == {"chunk": 3}
    assert [(i, r.args["chunk"]) for i, r in enumerate(requests)] == [(0, 0), (1, 1), (2, 2), (3, 3)]
    with pytest.raises(IndexError):
        requests[4]
