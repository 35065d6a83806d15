"""The API simulator's accounting, to the exact virtual millisecond."""
import pytest

from scaleblind.platforms.api import ApiConfig, ApiSimulator
from scaleblind.platforms.clock import VirtualClock
from scaleblind.platforms.errors import BadRequest, QueryCapExceeded, RateLimited


def make_api(**config) -> ApiSimulator:
    def items(per_page: int = 10) -> dict:
        return {"items": list(range(per_page))}

    def single() -> dict:
        return {"ok": True}

    return ApiSimulator(VirtualClock(), {"items": items, "single": single}, ApiConfig(**config))


def call(api: ApiSimulator, method: str, **kwargs):
    return api.handle({"method": method, "kwargs": kwargs})


def test_latency_is_base_plus_per_item():
    api = make_api(latency_ms=100, per_item_ms=0.5, bucket_capacity=100)
    call(api, "items", per_page=40)
    assert api.clock.now_ms == pytest.approx(100 + 40 * 0.5)
    call(api, "single")
    assert api.clock.now_ms == pytest.approx(120 + 100 + 0.5)  # a non-list body counts as one item
    assert api.usage()["api_calls"] == 2
    assert api.usage()["api_items"] == 41


def test_page_size_is_clamped_to_the_cap():
    api = make_api(latency_ms=0, page_size_cap=250, bucket_capacity=100)
    assert len(call(api, "items", per_page=1000)["items"]) == 250
    assert len(call(api, "items", per_page=0)["items"]) == 1


def test_token_bucket_waits_in_virtual_time():
    api = make_api(latency_ms=10, bucket_capacity=2, refill_per_s=2, on_limit="wait")
    call(api, "single")
    call(api, "single")
    assert api.clock.now_ms == pytest.approx(20)
    # Bucket empty; 20 ms of refill at 2/s gave 0.04 tokens; the next token is 480 ms away.
    call(api, "single")
    assert api.clock.now_ms == pytest.approx(20 + 480 + 10)
    assert api.usage()["rate_limit_wait_ms"] == pytest.approx(480)


def test_token_bucket_refills_while_time_passes():
    api = make_api(latency_ms=0, bucket_capacity=1, refill_per_s=1)
    call(api, "single")
    api.clock.advance(1000)
    call(api, "single")
    assert api.usage()["rate_limit_wait_ms"] == 0


def test_error_mode_answers_429_with_retry_after():
    api = make_api(latency_ms=50, bucket_capacity=1, refill_per_s=4, on_limit="error")
    call(api, "single")
    with pytest.raises(RateLimited) as raised:
        call(api, "single")
    assert raised.value.retry_after_ms == pytest.approx((1 - 50 / 1000 * 4) * 250)
    assert api.usage()["rate_limited"] == 1
    assert api.clock.now_ms == pytest.approx(100)  # the refused call still cost a round trip


def test_call_cap_per_request_and_reset():
    api = make_api(latency_ms=0, bucket_capacity=100, max_calls_per_request=2)
    call(api, "single")
    call(api, "single")
    with pytest.raises(QueryCapExceeded):
        call(api, "single")
    api.start_request()
    call(api, "single")
    assert api.usage()["api_calls"] == 1
    assert api.total.calls == 3


def test_unknown_or_private_endpoints_are_refused():
    api = make_api()
    for name in ("nope", "_private", "__class__"):
        with pytest.raises(BadRequest):
            call(api, name)
    with pytest.raises(BadRequest):
        call(api, "single", unexpected=1)
