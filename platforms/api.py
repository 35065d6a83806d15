"""An HTTP-like API: per-call latency, a page-size cap and a token-bucket rate limit, all in virtual time.

Numbers come from the task's spec (`[platform.api]`), which says where they come from (e.g. a commerce
API's published page size and leaky-bucket limit).
"""
from dataclasses import dataclass
from typing import Any, Callable

from .clock import VirtualClock
from .endpoints import Endpoint, check_handlers, parse_endpoints
from .errors import BadRequest, KeySuspended, QueryCapExceeded, RateLimited

Handler = Callable[..., dict]
PAGE_SIZE_ARGS = ("per_page", "limit", "page_size")


@dataclass
class ApiConfig:
    latency_ms: float = 100.0          # round trip of one call
    per_item_ms: float = 0.0           # transfer/serialisation per item returned
    page_size_cap: int = 250           # larger page sizes are clamped, as real APIs do
    bucket_capacity: float = 40.0      # token bucket: burst size
    refill_per_s: float = 2.0          # token bucket: sustained calls per second
    on_limit: str = "wait"             # "wait": the call waits in virtual time; "error": HTTP 429
    max_calls_per_request: int | None = None
    max_rejected_per_request: int | None = None  # calls answered 429 beyond this suspend the key (None: no limit)
    endpoints: tuple[Endpoint, ...] = ()  # the declarations every call is bound against

    @classmethod
    def from_spec(cls, spec: dict) -> "ApiConfig":
        known = {k: v for k, v in spec.items() if k in cls.__dataclass_fields__}
        known["endpoints"] = parse_endpoints(spec.get("endpoints", []))
        return cls(**known)


@dataclass
class ApiCounters:
    calls: int = 0
    items: int = 0
    rate_limited: int = 0              # calls answered 429
    wait_ms: float = 0.0               # virtual time spent waiting for a token
    io_ms: float = 0.0                 # virtual time spent in calls, waits included


class ApiSimulator:
    """Serves a task's endpoints and charges each call to the shared virtual clock."""

    kind = "api"

    def __init__(self, clock: VirtualClock, endpoints: dict[str, Handler], config: ApiConfig):
        check_handlers(config.endpoints, endpoints)
        self.clock = clock
        self.endpoints = endpoints
        self.declared = {e.name: e for e in config.endpoints}
        self.config = config
        self.total = ApiCounters()
        self.request = ApiCounters()
        self._tokens = config.bucket_capacity
        self._last_refill_ms = clock.now_ms

    def start_request(self) -> None:
        """Per-request counters restart; the bucket and the clock carry on, as in a real service."""
        self.request = ApiCounters()

    def handle(self, message: dict) -> Any:
        """Serve one call from the solution: {"method": name, "args": [...], "kwargs": {...}}, bound against
        the endpoint's declaration as Python would bind it (a call that breaks it is a 400, and costs nothing)."""
        method = message.get("method")
        endpoint = self.declared.get(method) if isinstance(method, str) else None
        if endpoint is None:
            raise BadRequest(f"404: no endpoint named {method!r}; endpoints: {sorted(self.declared)}")
        kwargs = endpoint.bind(message.get("args", []), message.get("kwargs", {}))
        cap = self.config.max_calls_per_request
        if cap is not None and self.request.calls >= cap:
            raise QueryCapExceeded(f"more than {cap} API calls in one request")
        self._take_token()
        kwargs = self._clamp_page_size(kwargs)
        try:
            payload = self.endpoints[method](**kwargs)
        except TypeError as exc:
            raise BadRequest(f"400: {exc}") from None
        items = len(payload["items"]) if isinstance(payload, dict) and isinstance(payload.get("items"), list) else 1
        self._charge(self.config.latency_ms + items * self.config.per_item_ms, items)
        return payload

    def _clamp_page_size(self, kwargs: dict) -> dict:
        out = dict(kwargs)
        for name in PAGE_SIZE_ARGS:
            if name in out:
                try:
                    out[name] = max(1, min(int(out[name]), self.config.page_size_cap))
                except (TypeError, ValueError):
                    raise BadRequest(f"400: {name} must be an integer") from None
        return out

    def _refill(self) -> None:
        elapsed_s = (self.clock.now_ms - self._last_refill_ms) / 1000.0
        self._tokens = min(self.config.bucket_capacity, self._tokens + elapsed_s * self.config.refill_per_s)
        self._last_refill_ms = self.clock.now_ms

    def _take_token(self) -> None:
        self._refill()
        if self._tokens < 1.0:
            wait_ms = (1.0 - self._tokens) / self.config.refill_per_s * 1000.0
            if self.config.on_limit == "error":
                for counters in (self.total, self.request):
                    counters.rate_limited += 1
                self._charge(self.config.latency_ms, 0, count_call=True)
                cap = self.config.max_rejected_per_request
                if cap is not None and self.request.rate_limited > cap:
                    raise KeySuspended(f"more than {cap} calls answered 429 in one request: the API key is "
                                       "suspended")
                raise RateLimited(wait_ms)
            self.clock.advance(wait_ms)
            for counters in (self.total, self.request):
                counters.wait_ms += wait_ms
                counters.io_ms += wait_ms
            self._refill()
        self._tokens -= 1.0

    def _charge(self, ms: float, items: int, count_call: bool = True) -> None:
        self.clock.advance(ms)
        for counters in (self.total, self.request):
            counters.calls += int(count_call)
            counters.items += items
            counters.io_ms += ms

    def usage(self) -> dict:
        return {"api_calls": self.request.calls, "api_items": self.request.items,
                "rate_limited": self.request.rate_limited, "rate_limit_wait_ms": self.request.wait_ms,
                "io_ms": self.request.io_ms}
