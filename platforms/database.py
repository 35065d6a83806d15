"""A SQL database (SQLite in memory) with a per-query round trip, per-row and per-KB transfer and per-work cost.

The work a query does is counted in SQLite virtual-machine steps (a progress handler), not in seconds, so a
full-table scan costs the same on every machine and an index seek is cheap, as on a real server. The data a
result carries is counted in bytes as it travels (its JSON encoding, `wire_bytes`), so packing a result set into
few rows (`json_group_array`, `group_concat`) saves the per-row cost but not the per-KB one.
"""
import json
import math
import sqlite3
import time
from dataclasses import dataclass
from typing import Any, Callable, TypeVar

from .clock import VirtualClock
from .errors import BadRequest, Forbidden, QueryCapExceeded

T = TypeVar("T")
STEP_GRAIN = 1000  # the progress handler fires once per this many VM steps
# One response carries at most this many values (rows x columns), as a database API caps a response: the
# result is built in the driver's memory. The largest table of any task, selected whole, holds 3.4 million.
MAX_RESULT_VALUES = 5_000_000
READ_ACTIONS = {sqlite3.SQLITE_SELECT, sqlite3.SQLITE_READ, sqlite3.SQLITE_FUNCTION, sqlite3.SQLITE_RECURSIVE}


@dataclass
class DatabaseConfig:
    round_trip_ms: float = 1.0           # network + parse + plan for one query (or one cursor fetch)
    per_row_ms: float = 0.005            # transfer and decode of one result row
    per_kb_ms: float = 0.02              # per 1,000 bytes on the wire and their serialisation (about 50 MB/s)
    per_kstep_ms: float = 0.01           # server work per 1,000 SQLite VM steps
    max_queries_per_request: int | None = None
    max_steps_per_query: int = 200_000_000  # a runaway query is stopped, like a statement timeout

    @classmethod
    def from_spec(cls, spec: dict) -> "DatabaseConfig":
        return cls(**{k: v for k, v in spec.items() if k in cls.__dataclass_fields__})


@dataclass
class DatabaseCounters:
    queries: int = 0
    fetches: int = 0
    rows: int = 0
    bytes: int = 0
    ksteps: int = 0
    io_ms: float = 0.0


def wire_bytes(rows: list) -> int:
    """The size of a result as it travels to the solution: its compact JSON encoding (what the driver sends),
    with a BLOB counted as its hex text (the driver refuses to send one, but the server produced it). Exact,
    deterministic and independent of how the values are split into rows and columns."""
    if not rows:
        return 0
    return len(json.dumps(rows, separators=(",", ":"), default=_blob_text))


def _blob_text(value: object) -> str:
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value).hex()
    raise TypeError(f"{type(value).__name__} is not a database value")


def declares_virtual_table(action: int, table: Any, db_name: Any) -> bool:
    """SQLite's first use of a table-valued function (json_each, json_tree) on a connection asks to UPDATE
    the columns of main.sqlite_master while it declares the function's virtual table: no write happens, and no
    statement can write sqlite_master anyway (SQLite refuses it while writable_schema is off, and PRAGMA is
    refused), so that request is allowed and honest read-only SQL with JSON table functions works."""
    return action == sqlite3.SQLITE_UPDATE and table == "sqlite_master" and db_name == "main"


def _deny_writes(action: int, arg1: Any, _arg2: Any, db_name: Any, _trigger: Any) -> int:
    if action in READ_ACTIONS or declares_virtual_table(action, arg1, db_name):
        return sqlite3.SQLITE_OK
    return sqlite3.SQLITE_DENY


class DatabaseSimulator:
    """Serves read-only SQL to the solution. The task loads the data before `seal()` makes it read-only."""

    kind = "db"

    def __init__(self, clock: VirtualClock, config: DatabaseConfig):
        self.clock = clock
        self.config = config
        self.conn = sqlite3.connect(":memory:", check_same_thread=False)
        self.total = DatabaseCounters()
        self.request = DatabaseCounters()
        self._cursors: dict[int, sqlite3.Cursor] = {}
        self._next_cursor = 1
        self._steps = 0
        self.deadline = math.inf  # real (monotonic) time at which a query stops: the driver's wall timeout

    def seal(self) -> None:
        """After loading: commit, refuse writes, ATTACH and PRAGMA, and start counting work."""
        self.conn.commit()
        self.conn.set_authorizer(_deny_writes)
        self.conn.set_progress_handler(self._on_progress, STEP_GRAIN)

    def start_request(self) -> None:
        self.request = DatabaseCounters()

    def _on_progress(self) -> int:
        self._steps += STEP_GRAIN
        return int(self._steps > self.config.max_steps_per_query or time.monotonic() > self.deadline)

    def handle(self, message: dict) -> Any:
        """Serve one call: execute / open_cursor / fetch / close."""
        method = message.get("method")
        handler = {"execute": self._execute, "open_cursor": self._open_cursor,
                   "fetch": self._fetch, "close": self._close}.get(method)
        if handler is None:
            raise BadRequest(f"unknown database method {method!r}")
        return handler(message)

    def _count_query(self) -> None:
        cap = self.config.max_queries_per_request
        if cap is not None and self.request.queries >= cap:
            raise QueryCapExceeded(f"more than {cap} queries in one request")
        for counters in (self.total, self.request):
            counters.queries += 1

    def _run(self, sql: Any, params: Any) -> sqlite3.Cursor:
        if not isinstance(sql, str):
            raise BadRequest("sql must be a string")
        if not isinstance(params, (list, dict)):
            raise BadRequest("params must be a list or an object")
        self._steps = 0
        try:
            return self.conn.execute(sql, params)
        except sqlite3.DatabaseError as exc:
            raise self._translate(exc) from None

    def _translate(self, exc: sqlite3.DatabaseError) -> Exception:
        text = str(exc)
        if "interrupted" in text:
            return BadRequest("statement timeout: the query did too much work and was cancelled")
        if "not authorized" in text or "prohibited" in text:
            return Forbidden(f"read-only database: {text}")
        return BadRequest(f"SQL error: {text}")

    def _fetch_rows(self, cursor: sqlite3.Cursor, n: int | None) -> list[list]:
        self._steps = 0
        width = max(1, len(cursor.description or ()))
        rows: list = []
        try:
            while batch := cursor.fetchmany(10_000 if n is None else n):
                rows += batch
                if len(rows) * width > MAX_RESULT_VALUES:
                    raise BadRequest(f"the result holds more than {MAX_RESULT_VALUES:,} values, more than one "
                                     "response carries: select fewer rows or columns, or use db.stream")
                if n is not None:
                    break
        except sqlite3.DatabaseError as exc:
            raise self._translate(exc) from None
        return [list(r) for r in rows]

    def _charge(self, rows: int, steps: int, size: int = 0) -> None:
        """One round trip, `rows` rows and `size` bytes of result data (`wire_bytes`), `steps` VM steps."""
        ksteps = steps // STEP_GRAIN
        ms = (self.config.round_trip_ms + rows * self.config.per_row_ms + size / 1000 * self.config.per_kb_ms
              + ksteps * self.config.per_kstep_ms)
        self.clock.advance(ms)
        for counters in (self.total, self.request):
            counters.rows += rows
            counters.bytes += size
            counters.ksteps += ksteps
            counters.io_ms += ms

    def _execute(self, message: dict) -> list[list]:
        self._count_query()
        cursor = self._run(message.get("sql"), message.get("params", []))
        steps = self._steps
        rows = self._fetch_rows(cursor, None)
        self._charge(len(rows), steps + self._steps, wire_bytes(rows))
        return rows

    def _open_cursor(self, message: dict) -> dict:
        """A server-side cursor: one query, rows come later in batches (`fetch`), each a round trip."""
        self._count_query()
        cursor = self._run(message.get("sql"), message.get("params", []))
        cursor_id, self._next_cursor = self._next_cursor, self._next_cursor + 1
        self._cursors[cursor_id] = cursor
        self._charge(0, self._steps)
        return {"cursor": cursor_id, "columns": [d[0] for d in cursor.description or []]}

    def _fetch(self, message: dict) -> list[list]:
        cursor = self._cursors.get(message.get("cursor"))
        if cursor is None:
            raise BadRequest("unknown or closed cursor")
        size = message.get("size", 1000)
        if not isinstance(size, int) or not 1 <= size <= 10_000:
            raise BadRequest("fetch size must be an integer from 1 to 10000")
        rows = self._fetch_rows(cursor, size)
        for counters in (self.total, self.request):
            counters.fetches += 1
        self._charge(len(rows), self._steps, wire_bytes(rows))
        return rows

    def _close(self, message: dict) -> None:
        cursor = self._cursors.pop(message.get("cursor"), None)
        if cursor is not None:
            cursor.close()

    def usage(self) -> dict:
        return {"queries": self.request.queries, "db_rows": self.request.rows, "db_bytes": self.request.bytes,
                "db_ksteps": self.request.ksteps, "io_ms": self.request.io_ms}


def loaded_database(config: dict, load: Callable[[sqlite3.Connection], T]) -> tuple[DatabaseSimulator, T]:
    """A task's database on a new virtual clock (`db.clock`): filled by `load(conn)`, then sealed read-only.
    Returns it with whatever `load` returned."""
    db = DatabaseSimulator(VirtualClock(), DatabaseConfig.from_spec(config))
    result = load(db.conn)
    db.seal()
    return db, result
