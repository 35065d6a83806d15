"""Fresh seeds (audit finding: memorised answers). The generators are public, so the answers for any fixed seed
can be computed in advance and shipped as a lookup table: evaluations and `grade` draw a fresh seed, record it,
and a regrade with the recorded seed is exact."""
from __future__ import annotations

import asyncio
import json

from scaleblind.graders.driver import build_world, run_in_process
from scaleblind.graders.grade import DEFAULT_SEED, SEED_BITS, fresh_seed, grade_answer, new_nonce, sample_seed
from scaleblind.sandbox.local import LocalSandbox
from scaleblind.tasks.registry import get_task

TASK = "reporting/daily_revenue"


def test_sample_seeds_differ_by_run_sample_and_epoch_and_are_reproducible():
    nonce = new_nonce()
    assert new_nonce() != nonce
    seed = sample_seed(nonce, "a:vague", 1)
    assert seed == sample_seed(nonce, "a:vague", 1) and 0 <= seed < 2 ** SEED_BITS
    others = {sample_seed(new_nonce(), "a:vague", 1), sample_seed(nonce, "a:blueprint", 1),
              sample_seed(nonce, "a:vague", 2)}
    assert seed not in others and len(others) == 3
    assert len({fresh_seed() for _ in range(20)}) == 20


def lookup_table_answer(seed: int) -> str:
    """A 'solution' that only replays the reference's demo answers for `seed`, keyed by the request."""
    spec = get_task(TASK)
    world = build_world(spec, spec.tier("demo"), seed)
    answers = run_in_process(spec, build_world(spec, spec.tier("demo"), seed))
    table = {json.dumps(request.args, sort_keys=True): answer for request, answer in zip(world.requests, answers)}
    return f"""import json
TABLE = json.loads({json.dumps(json.dumps(table))})


def {spec.entry}(db, **args):
    return TABLE.get(json.dumps(args, sort_keys=True))
"""


def grade(code: str, seed: int) -> dict:
    return asyncio.run(grade_answer(get_task(TASK), code, LocalSandbox(), seed=seed, tiers=["demo"]))


def test_a_lookup_table_for_seed_0_fails_under_a_fresh_seed():
    code = lookup_table_answer(DEFAULT_SEED)
    assert grade(code, DEFAULT_SEED)["correct_at_demo"]           # the attack works against a fixed seed
    fresh = grade(code, fresh_seed())
    assert not fresh["correct_at_demo"] and fresh["failure"] == "wrong_output"


def test_the_recorded_seed_regrades_to_the_same_verdict():
    code = (get_task(TASK).folder / "naive.py").read_text()
    first = asyncio.run(grade_answer(get_task(TASK), code, LocalSandbox(), seed=fresh_seed(),
                                     tiers=["demo", "launch"]))
    again = asyncio.run(grade_answer(get_task(TASK), code, LocalSandbox(), seed=first["seed"],
                                     tiers=["demo", "launch"]))
    exact = ("tier", "size", "failure", "correct", "requests_done", "queries", "db_bytes", "api_calls")
    assert again["seed"] == first["seed"]
    assert [{k: t[k] for k in exact} for t in again["tiers"]] == [{k: t[k] for k in exact} for t in first["tiers"]]
    assert {k: again[k] for k in ("scale_correct", "failure", "failure_tier")} == \
        {k: first[k] for k in ("scale_correct", "failure", "failure_tier")}
