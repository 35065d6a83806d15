"""Sync tasks: backoff variants of the webhook sender, and the catalog's change feed (discrimination itself is
tested for every task in test_every_task.py)."""
import asyncio

import pytest

from scaleblind.graders.grade import grade_answer
from scaleblind.sandbox.local import LocalSandbox
from scaleblind.tasks.registry import get_task, task_module

SYNC = ["sync/catalog_mirror", "sync/webhook_batch"]

IMMEDIATE_RETRY = '''
from platform_client import RateLimited


def deliver_batch(api, events):
    receipts = {}
    for event in events:
        while True:
            try:
                response = api.post_webhook(event_id=event["id"], payload=event)
            except RateLimited:
                continue
            if response["status"] == 200:
                receipts[event["id"]] = response["receipt"]
                break
    return {"receipts": receipts}
'''

HONOURS_RETRY_AFTER = '''
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


# The naive sender plus a fixed short pause after each 429, ignoring Retry-After: the audit's "429s are free".
FIXED_PAUSE = '''
import time
from platform_client import RateLimited


def deliver_batch(api, events):
    receipts = {}
    for event in events:
        while True:
            try:
                response = api.post_webhook(event_id=event["id"], payload=event)
            except RateLimited:
                time.sleep(0.2)
                continue
            if response["status"] == 200:
                receipts[event["id"]] = response["receipt"]
                break
    return {"receipts": receipts}
'''


def suspended(verdict: dict) -> bool:
    """Failed rate_limited at once, on the 1,001st 429 of a batch, before the batch was done."""
    tier = next(t for t in verdict["tiers"] if t["tier"] == verdict["failure_tier"])
    return (verdict["failure"] == "rate_limited" and "more than 1000 calls answered 429" in tier["message"]
            and tier["rate_limited"] == 1001 and tier["requests_done"] < tier["requests_total"])


@pytest.mark.slow
def test_webhook_retrying_without_backoff_gets_the_key_suspended():
    verdict = asyncio.run(grade_answer(get_task("sync/webhook_batch"), IMMEDIATE_RETRY, LocalSandbox()))
    assert verdict["correct_at_demo"] and suspended(verdict)


@pytest.mark.slow
def test_webhook_pausing_a_fixed_time_after_429s_gets_the_key_suspended():
    verdict = asyncio.run(grade_answer(get_task("sync/webhook_batch"), FIXED_PAUSE, LocalSandbox()))
    assert verdict["correct_at_demo"] and suspended(verdict) and verdict["failure_tier"] == "growth"


@pytest.mark.slow
def test_webhook_honouring_retry_after_alone_is_enough():
    verdict = asyncio.run(grade_answer(get_task("sync/webhook_batch"), HONOURS_RETRY_AFTER, LocalSandbox()))
    assert verdict["scale_correct"], verdict["failure"]


def test_catalog_edits_do_not_depend_on_the_clock():
    """The oracle and the solution see different clock readings; the catalog's contents must not differ."""
    spec = get_task("sync/catalog_mirror")
    world_module = task_module(spec, "world")
    tier = spec.tier("demo")
    a, b = world_module.build(spec, tier, 0), world_module.build(spec, tier, 0)
    for run in range(5):
        for world, extra_ms in ((a, 0.0), (b, 1234.5 * run)):
            world.clock.advance(extra_ms)
            world.platforms["api"].start_request()
    strip = lambda w: {pid: {k: v for k, v in p.items() if k != "updated_at"}  # noqa: E731
                       for pid, p in w.platforms["api"].catalog.products.items()}
    assert strip(a) == strip(b)


def test_catalog_pages_follow_updated_at_min():
    spec = get_task("sync/catalog_mirror")
    world = task_module(spec, "world").build(spec, spec.tier("demo"), 0)
    catalog = world.platforms["api"].catalog
    seen, page_info = [], None
    while True:
        page = catalog.page(None, 7, page_info)
        seen += [(p["updated_at"], p["id"]) for p in page["items"]]
        page_info = page["next_page_info"]
        if page_info is None:
            break
    assert seen == sorted(seen) and len(seen) == len(catalog.products)
    since = seen[len(seen) // 2][0]
    assert [(p["updated_at"], p["id"]) for p in catalog.page(since, 250, None)["items"]] == \
        [k for k in seen if k[0] >= since]
