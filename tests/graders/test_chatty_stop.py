"""A request that keeps the driver busy with cheap calls is stopped as soon as it is surely over its budget,
not after it has made every call (grading a chatty naive solution stays fast)."""
import asyncio

from scaleblind.graders.grade import grade_answer
from scaleblind.sandbox.local import LocalSandbox
from scaleblind.tasks.registry import get_task

TASK = "filters/price_stock_range"  # 200 ms per request, no query cap; a query costs about 1 ms
CHATTY = '''
def filter_variants(db, price_min, price_max, page=1, per_page=24):
    for _ in range(20000):
        db.execute("SELECT 1")
    return {}
'''


def test_a_chatty_request_is_stopped_once_over_its_budget():
    verdict = asyncio.run(grade_answer(get_task(TASK), CHATTY, LocalSandbox(), tiers=["demo"]))
    tier = verdict["tiers"][0]
    assert verdict["failure"] == "over_latency" and "already over its latency budget" in tier["message"]
    assert tier["queries"] < 1000  # stopped after about 200 queries, not 20,000
