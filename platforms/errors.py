"""Errors a platform raises to the solution; the driver also records them as the failure reason."""


class PlatformError(Exception):
    """Base class: `reason` is the verdict's failure name when the error ends a request; `ends_tier` errors fail
    the tier at once, whatever the solution does with them; `wire_name` is the exception the solution sees."""

    reason = "crash"
    ends_tier = False

    @property
    def wire_name(self) -> str:
        return type(self).__name__


class RateLimited(PlatformError):
    """HTTP 429: the token bucket is empty. `retry_after_ms` says when a token is next free."""

    reason = "rate_limited"

    def __init__(self, retry_after_ms: float):
        super().__init__(f"429 Too Many Requests: retry after {retry_after_ms:.0f} ms")
        self.retry_after_ms = retry_after_ms


class QueryCapExceeded(PlatformError):
    """The request issued more queries or calls than the platform allows per request."""

    reason = "query_cap"
    ends_tier = True


class KeySuspended(QueryCapExceeded):
    """More calls answered 429 in one request than the API tolerates: the key is suspended the same way as for
    the call allowance (the solution sees QueryCapExceeded), and the verdict says rate_limited."""

    reason = "rate_limited"

    @property
    def wire_name(self) -> str:
        return "QueryCapExceeded"


class BadRequest(PlatformError):
    """HTTP 400 / SQL error: the call itself was wrong."""

    reason = "crash"


class Forbidden(PlatformError):
    """The call tried something the platform never allows (writes, ATTACH, PRAGMA...)."""

    reason = "crash"
