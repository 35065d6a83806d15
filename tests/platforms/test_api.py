"""The API simulator's accounting, to the exact virtual millisecond, and its binding of every call against the
endpoint's declaration."""
import inspect

import pytest

from scaleblind.graders.driver import build_world, serve
from scaleblind.platforms.api import ApiConfig, ApiSimulator
from scaleblind.platforms.clock import VirtualClock
from scaleblind.platforms.world import World
from scaleblind.platforms.endpoints import check_handlers, parse_endpoints
from scaleblind.platforms.errors import BadRequest, KeySuspended, QueryCapExceeded, RateLimited
from scaleblind.tasks.registry import all_tasks

DECLARED = [
    {"name": "items", "params": "per_page: int = 10", "returns": '{"items": [int, ...]}', "doc": "some items"},
    {"name": "single", "params": "", "returns": '{"ok": true}', "doc": "one answer"},
    {"name": "pair", "params": "key: str, value: dict | None = None, *, flag: bool = False", "returns": "dict"},
    {"name": "search", "params": "page: int = 1, **filters", "returns": "dict"},
]
API_TASKS = [spec for spec in all_tasks().values() if "endpoints" in spec.platform.get("api", {})]


def make_api(**config) -> ApiSimulator:
    def items(per_page: int = 10) -> dict:
        return {"items": list(range(per_page))}

    def single() -> dict:
        return {"ok": True}

    def pair(key: str, value: dict | None = None, *, flag: bool = False) -> dict:
        return {"key": key, "value": value, "flag": flag}

    def search(page: int = 1, **filters) -> dict:
        return {"page": page, "filters": filters}

    handlers = {"items": items, "single": single, "pair": pair, "search": search}
    return ApiSimulator(VirtualClock(), handlers, ApiConfig(endpoints=parse_endpoints(DECLARED), **config))


def call(api: ApiSimulator, method: str, *args, **kwargs):
    return api.handle({"method": method, "args": list(args), "kwargs": kwargs})


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


def test_too_many_429s_in_one_request_suspend_the_key():
    api = make_api(latency_ms=50, bucket_capacity=1, refill_per_s=1, on_limit="error", max_rejected_per_request=2)
    call(api, "single")
    for _ in range(2):                       # two 429s are tolerated
        with pytest.raises(RateLimited):
            call(api, "single")
    with pytest.raises(KeySuspended, match="more than 2 calls answered 429") as raised:
        call(api, "single")
    assert raised.value.reason == "rate_limited" and raised.value.ends_tier
    assert raised.value.wire_name == "QueryCapExceeded"     # what the solution's client raises
    assert api.usage()["rate_limited"] == 3 and api.usage()["api_calls"] == 4
    api.start_request()                      # the allowance is per request (one batch)
    with pytest.raises(RateLimited):
        call(api, "single")


def test_no_429_allowance_by_default():
    api = make_api(latency_ms=0, bucket_capacity=1, refill_per_s=1, on_limit="error")
    assert api.config.max_rejected_per_request is None
    call(api, "single")
    for _ in range(5000):
        with pytest.raises(RateLimited):
            call(api, "single")


def test_the_driver_tells_the_solution_query_cap_and_ends_the_tier_as_rate_limited():
    api = make_api(latency_ms=50, bucket_capacity=1, refill_per_s=1, on_limit="error", max_rejected_per_request=0)
    world = World(api.clock, {"api": api}, [])
    message = {"op": "call", "client": "api", "method": "single", "args": [], "kwargs": {}}
    assert serve(world, message) == {"ok": {"ok": True}}
    error = serve(world, message)["error"]
    assert error["type"] == "QueryCapExceeded" and error["reason"] == "rate_limited" and error["ends_tier"]
    plain = serve(World(api.clock, {"api": make_api(on_limit="error", bucket_capacity=1)}, []), message)
    assert plain == {"ok": {"ok": True}}


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


def test_calls_bind_as_python_binds_them():
    api = make_api(latency_ms=0, bucket_capacity=100)
    expected = {"key": "k", "value": {"a": 1}, "flag": False}
    assert call(api, "pair", "k", {"a": 1}) == expected
    assert call(api, "pair", key="k", value={"a": 1}) == expected
    assert call(api, "pair", "k", value={"a": 1}) == expected
    assert call(api, "pair", "k") == {**expected, "value": None}
    assert call(api, "pair", "k", flag=True)["flag"] is True
    assert call(api, "search", 2, color="red") == {"page": 2, "filters": {"color": "red"}}
    assert len(call(api, "items", 1000)["items"]) == 250  # a positional page size is clamped too


@pytest.mark.parametrize("args, kwargs, says", [
    ((), {}, "missing a required argument: 'key'"),
    (("k", None, True), {}, "too many positional arguments"),
    (("k",), {"key": "again"}, "multiple values for argument 'key'"),
    (("k",), {"colour": 1}, "unexpected keyword argument 'colour'"),
    ((5,), {}, "key must be str, not int"),
    (("k", [1]), {}, "value must be dict | None, not list"),
])
def test_a_call_that_breaks_the_signature_is_a_400_naming_the_endpoint_and_its_signature(args, kwargs, says):
    api = make_api(latency_ms=100, bucket_capacity=1)
    with pytest.raises(BadRequest) as raised:
        call(api, "pair", *args, **kwargs)
    message = str(raised.value)
    assert message.startswith("400: pair:") and says in message
    assert "pair(key: str, value: dict | None = None, flag: bool = False)" in message
    assert api.clock.now_ms == 0 and api.usage()["api_calls"] == 0  # refused before it reached the platform
    call(api, "single")  # and it took no token: the one token of the bucket is still there
    assert api.usage()["rate_limit_wait_ms"] == 0


def test_malformed_messages_are_400s_not_type_errors():
    api = make_api()
    for message in ({"method": "pair", "args": "k"}, {"method": "pair", "args": ["k"], "kwargs": ["x"]},
                    {"method": 7}, {"method": None}, {}):
        with pytest.raises(BadRequest):
            api.handle(message)


def test_handlers_must_match_their_declarations():
    def pair(key: str, value: dict) -> dict:  # the declaration gives value a default
        return {}

    endpoints = parse_endpoints(DECLARED[2:3])
    with pytest.raises(ValueError, match="pair: declared"):
        ApiSimulator(VirtualClock(), {"pair": pair}, ApiConfig(endpoints=endpoints))
    with pytest.raises(ValueError, match="'extra' is not declared"):
        check_handlers(endpoints, {"pair": lambda key, value=None, *, flag=False: {}, "extra": lambda: {}})
    with pytest.raises(ValueError, match="has no handler"):
        check_handlers(endpoints, {})


@pytest.mark.parametrize("params", ["a, *rest", "a, /, b", "a = some_name", "a: int = "])
def test_declarations_take_only_json_shaped_parameters(params):
    with pytest.raises((ValueError, SyntaxError)):
        parse_endpoints([{"name": "bad", "params": params}])


@pytest.mark.parametrize("spec", API_TASKS, ids=lambda s: s.id)
def test_every_declared_endpoint_of_a_task_has_a_handler_with_its_signature(spec):
    api = build_world(spec, spec.tier("demo"), 0).platforms["api"]
    assert sorted(api.declared) == sorted(api.endpoints) and api.declared
    check_handlers(tuple(api.declared.values()), api.endpoints)
    for name, endpoint in api.declared.items():
        actual = inspect.signature(api.endpoints[name]).parameters
        assert list(actual) == [p.name for p in endpoint.params], name
        assert endpoint.doc and endpoint.returns, f"{name}: say what it does and what it returns"


def test_every_api_task_declares_its_endpoints():
    for spec in all_tasks().values():
        if "api" in spec.clients:
            assert spec in API_TASKS, f"{spec.id}: declare the endpoints in [[platform.api.endpoints]]"
