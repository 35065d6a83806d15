"""The client stubs a solution receives: `api`, `db` and `out`. Every call is a message to the trusted driver,
which serves it from the simulated platform and keeps the clock and the counters.

Solutions may import the exceptions from here: `from platform_client import RateLimited`.
Standard library only; this file is the whole of what the solution can see of the platform.
"""
import contextlib
import datetime
import inspect
import json
import numbers
import time as _time
from collections.abc import Iterable, Mapping
from typing import Any, Iterator

_channel = None  # set by the bootstrap


class PlatformError(Exception):
    """Anything the platform answers with an error."""


class RateLimited(PlatformError):
    """HTTP 429. `retry_after` is in seconds; `time.sleep(retry_after)` waits in the platform's time."""

    def __init__(self, message: str, retry_after_ms: float = 0.0):
        super().__init__(message)
        self.retry_after = retry_after_ms / 1000.0


class QueryCapExceeded(PlatformError):
    """Too many calls or queries in one request."""


class BadRequest(PlatformError):
    """The call was malformed, or SQL failed."""


class Forbidden(PlatformError):
    """The call tried something never allowed (writes to a read-only database...)."""


_ERRORS = {cls.__name__: cls for cls in (RateLimited, QueryCapExceeded, BadRequest, Forbidden)}


def _call(message: dict) -> Any:
    reply = _channel.call(message)
    if "error" in reply:
        error = reply["error"]
        cls = _ERRORS.get(error.get("type"), PlatformError)
        if cls is RateLimited:
            raise RateLimited(error.get("message", ""), error.get("retry_after_ms", 0.0))
        raise cls(error.get("message", ""))
    return reply.get("ok")


class Api:
    """An HTTP-like API with one method per declared endpoint: `api.<endpoint>(...)` returns the decoded JSON
    body. Arguments bind as in Python (positional, keyword, defaults); the platform binds every call against
    the endpoint's declaration and answers one that breaks it with BadRequest (HTTP 400)."""

    def __init__(self, name: str, endpoints: list[dict] | tuple = ()):
        self._name = name
        self._endpoints = {declaration["name"]: declaration for declaration in endpoints}
        for declaration in endpoints:
            setattr(self, declaration["name"], _endpoint_method(self, declaration))

    def call(self, endpoint: str, *args: Any, **params: Any) -> Any:
        return _call({"op": "call", "client": self._name, "method": endpoint,
                      "args": _wire(list(args), endpoint), "kwargs": _wire(params, endpoint)})

    def __getattr__(self, endpoint: str):  # only reached for names that are not declared
        if endpoint.startswith("_"):
            raise AttributeError(endpoint)
        raise AttributeError(f"the {self._name} client has no endpoint {endpoint!r}; "
                             f"endpoints: {', '.join(sorted(self._endpoints))}")


def _endpoint_method(api: Api, declaration: dict):
    def method(*args: Any, **params: Any) -> Any:
        return api.call(declaration["name"], *args, **params)

    method.__name__ = method.__qualname__ = declaration["name"]
    method.__doc__ = declaration.get("doc") or None
    method.__signature__ = _signature(declaration)
    return method


def _signature(declaration: dict) -> inspect.Signature:
    """The declared parameters as a Python signature (for help() and inspect; the platform does the binding)."""
    kinds = {"positional_or_keyword": inspect.Parameter.POSITIONAL_OR_KEYWORD,
             "keyword_only": inspect.Parameter.KEYWORD_ONLY, "var_keyword": inspect.Parameter.VAR_KEYWORD}
    return inspect.Signature([inspect.Parameter(p["name"], kinds[p["kind"]],
                                                default=p.get("default", inspect.Parameter.empty),
                                                annotation=p.get("annotation") or inspect.Parameter.empty)
                              for p in declaration["params"]])


def _wire(value: Any, where: str) -> Any:
    """What travels as JSON: tuples become lists, numpy values Python ones; anything else is a 400."""
    try:
        return json.loads(encode(value))
    except (TypeError, ValueError) as exc:
        raise BadRequest(f"400: {where}: an argument cannot be sent as JSON ({exc})") from None


class Database:
    """A read-only SQL database (SQLite dialect): `execute` returns every row at once; `stream` yields the rows,
    fetching `batch_size` at a time."""

    MAX_BATCH = 10_000  # the largest fetch the database serves; a larger batch_size is fetched in parts

    def __init__(self, name: str):
        self._name = name

    def execute(self, sql: str, params: Any = ()) -> list[tuple]:
        rows = _call({"op": "call", "client": self._name, "method": "execute", "sql": sql,
                      "params": _params(params)})
        return [tuple(r) for r in rows]

    def stream(self, sql: str, params: Any = (), batch_size: int = 1000) -> Iterator[tuple]:
        if isinstance(batch_size, bool) or not isinstance(batch_size, numbers.Integral) or batch_size < 1:
            raise BadRequest(f"batch_size must be a positive integer, not {batch_size!r}")
        size = min(int(batch_size), self.MAX_BATCH)
        opened = _call({"op": "call", "client": self._name, "method": "open_cursor", "sql": sql,
                        "params": _params(params)})
        try:
            while True:
                rows = _call({"op": "call", "client": self._name, "method": "fetch",
                              "cursor": opened["cursor"], "size": size})
                if not rows:
                    return
                yield from (tuple(r) for r in rows)
        finally:
            _call({"op": "call", "client": self._name, "method": "close", "cursor": opened["cursor"]})


class WritableDatabase(Database):
    """A database the task lets the solution write: `executemany` runs one statement over many parameter rows
    (all or none) and returns the number of rows changed; `with db.transaction():` wraps BEGIN ... COMMIT
    (ROLLBACK on error)."""

    def executemany(self, sql: str, rows: Iterable[Any]) -> int:
        return _call({"op": "call", "client": self._name, "method": "executemany", "sql": sql,
                      "rows": [_params(r) for r in rows]})

    @contextlib.contextmanager
    def transaction(self) -> Iterator["Database"]:
        self.execute("BEGIN")
        try:
            yield self
        except BaseException:
            with contextlib.suppress(PlatformError):  # the original error matters more than a failed rollback
                self.execute("ROLLBACK")
            raise
        self.execute("COMMIT")


def _params(params: Any) -> Any:
    """Query parameters as sqlite3 takes them: a sequence or a mapping (None means none); dates and times
    become text the way sqlite3's own adapters write them."""
    if params is None:
        return []
    if isinstance(params, Mapping):
        values: Any = {str(k): _sql_value(v) for k, v in params.items()}
    elif isinstance(params, Iterable):
        values = [_sql_value(v) for v in params]
    else:
        raise BadRequest(f"parameters are of unsupported type {type(params).__name__}: pass a list, tuple or dict")
    return _wire(values, "params")


def _sql_value(value: Any) -> Any:
    if isinstance(value, datetime.datetime):
        return value.isoformat(" ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


class Sink:
    """A text output stream (file-like): `out.write(text)`. Writes are buffered in small chunks."""

    CHUNK = 64 * 1024

    def __init__(self, name: str):
        self._name = name
        self._buffer: list[str] = []
        self._size = 0
        self._closed = False

    def write(self, text: str) -> int:
        if not isinstance(text, str):
            raise TypeError(f"write() argument must be str, not {type(text).__name__}")
        if self._closed:
            raise ValueError("I/O operation on closed file.")
        self._buffer.append(text)
        self._size += len(text)
        if self._size >= self.CHUNK:
            self.flush()
        return len(text)

    def writelines(self, lines) -> None:
        for line in lines:
            self.write(line)

    def flush(self) -> None:
        if self._buffer:
            data, self._buffer, self._size = "".join(self._buffer), [], 0
            _call({"op": "call", "client": self._name, "method": "write", "data": data})

    # The rest of a writable text file's surface, so code that treats `out` as a file works as with one.
    def writable(self) -> bool:
        return True

    @property
    def closed(self) -> bool:
        return self._closed

    def close(self) -> None:
        self.flush()
        self._closed = True

    def start_request(self) -> None:
        """The same object serves every request (a solution may key a cache on its clients); each request
        writes a fresh output, so what one request left buffered or closed does not carry over."""
        self._buffer, self._size, self._closed = [], 0, False

    def __enter__(self) -> "Sink":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()


def start_request(clients: dict) -> None:
    for client in clients.values():
        if isinstance(client, Sink):
            client.start_request()


CLIENT_TYPES = {"api": Api, "db": Database, "writable_db": WritableDatabase, "sink": Sink}


def make_clients(clients: dict) -> dict:
    """The client objects of a solution process, from the driver's description {name: {"kind", "endpoints"}}:
    made once and passed to every request, as a long-lived worker keeps its connections."""
    out = {}
    for name, described in clients.items():
        kind = described["kind"] if isinstance(described, dict) else described
        endpoints = described.get("endpoints", ()) if isinstance(described, dict) else ()
        out[name] = Api(name, endpoints) if kind == "api" else CLIENT_TYPES[kind](name)
    return out


# Virtual time: the platform's clock. `time.sleep` waits in it (e.g. for a rate limit) and the time
# functions read it, so backoff code written against `time` behaves as it would against a real service.
EPOCH_S = 1_767_225_600.0  # 2026-01-01T00:00:00Z: virtual time starts here


def now_ms() -> float:
    return float(_channel.call({"op": "now"})["ok"])


def sleep(seconds: float) -> None:
    if seconds < 0:
        raise ValueError("sleep length must be non-negative")
    _channel.call({"op": "sleep", "ms": float(seconds) * 1000.0})


def install_virtual_time() -> None:
    _time.sleep = sleep
    _time.time = lambda: EPOCH_S + now_ms() / 1000.0
    _time.time_ns = lambda: int((EPOCH_S + now_ms() / 1000.0) * 1e9)
    _time.monotonic = _time.perf_counter = lambda: now_ms() / 1000.0
    _time.monotonic_ns = _time.perf_counter_ns = lambda: int(now_ms() * 1e6)


def encode(value: Any) -> str:
    """JSON for answers: tuples become lists; numpy scalars and arrays become Python values."""
    return json.dumps(value, default=_jsonable, separators=(",", ":"))


def _jsonable(value: Any) -> Any:
    """What an honest answer may hold besides JSON types: numpy/pandas values, sets, dates, Decimals,
    generators and other iterables."""
    if hasattr(value, "tolist"):
        return value.tolist()
    if hasattr(value, "item"):
        return value.item()
    if isinstance(value, (set, frozenset)):
        return sorted(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, numbers.Number):
        return float(value)
    if isinstance(value, Iterable) and not isinstance(value, (str, bytes)):
        return list(value)
    raise TypeError(f"answer contains a {type(value).__name__}, which is not JSON")
