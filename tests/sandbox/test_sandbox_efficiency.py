"""The efficiency score in the Docker sandbox: the same answer graded twice, and graded beside CPU hogs, gets
the same score, and every deterministic component (the meters of the answer and of the reference, each ratio
and meter score) is identical; only normalised CPU time may move, and it is not in the score."""
import asyncio
import multiprocessing

import pytest

from scaleblind.graders.grade import grade_answer
from scaleblind.tasks.registry import get_task, solution_path

pytestmark = [pytest.mark.docker, pytest.mark.slow]
SPEC = get_task("sync/webhook_batch")
# Honours retry_after but never paces itself: scale-correct, at about twice the reference's calls.
RETRIES_INTO_429 = '''
import time
from platform_client import RateLimited


def deliver_batch(api, events):
    receipts = {}
    for event in events:
        while True:
            try:
                response = api.post_webhook(event_id=event["id"], payload=event)
            except RateLimited as exc:
                time.sleep(exc.retry_after)
                continue
            if response["status"] == 200:
                receipts[event["id"]] = response["receipt"]
                break
            time.sleep(1)
    return {"receipts": receipts}
'''


def hog() -> None:
    x = 0
    while True:
        x = (x * 31 + 7) % 1_000_003


async def grade_each(answers: dict[str, str]) -> dict[str, dict]:
    from scaleblind.sandbox.docker import open_docker_sandbox
    async with open_docker_sandbox() as env:
        return {name: await grade_answer(SPEC, code, env) for name, code in answers.items()}


def deterministic(verdict: dict) -> dict:
    """Everything of the efficiency that does not come from the kernel: score, meters, ratios, meter scores."""
    tiers = [{"tier": t["tier"], "meters": t["meters"], "reference_meters": t["reference_meters"]}
             for t in verdict["tiers"]]
    components = [{k: {f: c.get(f) for f in ("solution", "reference", "ratio", "score")}
                   for k, c in (t.get("components") or {}).items() if k != "memory"}
                  for t in verdict["efficiency"]["tiers"]]
    return {"score": verdict["efficiency"]["score"], "tiers": tiers, "components": components}


def test_same_answer_same_score_twice_and_beside_cpu_hogs(sandbox_image):
    answers = {"reference": solution_path(SPEC, "reference").read_text(), "retries": RETRIES_INTO_429}
    idle = [asyncio.run(grade_each(answers)) for _ in range(2)]
    hogs = [multiprocessing.Process(target=hog, daemon=True) for _ in range(2)]
    for process in hogs:
        process.start()
    try:
        busy = asyncio.run(grade_each(answers))
    finally:
        for process in hogs:
            process.terminate()
            process.join()
    for name in answers:
        runs = [deterministic(run[name]) for run in (*idle, busy)]
        assert runs[0] == runs[1] == runs[2], name
        assert all(run[name]["scale_correct"] for run in (*idle, busy))
    assert idle[0]["reference"]["efficiency"]["score"] == 1.0
    assert 0.85 < idle[0]["retries"]["efficiency"]["score"] < 0.98     # about 2x the reference's calls at growth
    growth = idle[0]["retries"]["efficiency"]["tiers"][-1]["components"]["api_calls"]
    assert growth["ratio"] > 1.5 and growth["reference"] == idle[0]["reference"]["tiers"][-1]["meters"]["api_calls"]
