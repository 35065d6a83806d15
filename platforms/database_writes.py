"""A SQL database that accepts writes, for tasks whose feature writes (imports, upserts, counters, ledgers).

Additive to `database.py`: a subclass with its own config, so read-only tasks stay read-only and unchanged.
What a write costs, on top of the read costs (round trip, rows over the wire, VM-step work):
- `executemany(sql, rows)` is one call: one round trip for the batch (a pipelined or batched driver call,
  as psycopg 3 `executemany` or JDBC `executeBatch` send it), each parameter row charged like a row over the
  wire, and the statement's work for every row; it is atomic, like one multi-row statement.
- every row inserted, updated or deleted: `write_row_ms` (WAL record, heap and index maintenance);
- every commit of a transaction that wrote: `commit_ms` (the WAL flush: fsync, and a synchronous standby).
Autocommit, as psql, MySQL and Django default to: a statement outside a transaction commits on its own and
pays its commit; BEGIN ... COMMIT (the client's `with db.transaction():`) pays one commit for all its writes;
ROLLBACK pays none. A failed statement still costs its round trip, and changes nothing.
When a request ends its connection goes back to the pool, which rolls back a transaction left open.
Rows may be written and TEMP tables created; the schema of the task's tables may not change (no DDL).
The answer checked for a request includes `checked_state()`: the task's chosen queries on the committed data.
"""
import hashlib
import sqlite3
from dataclasses import dataclass
from typing import Any, Callable, TypeVar

from .clock import VirtualClock
from .database import (READ_ACTIONS, STEP_GRAIN, DatabaseConfig, DatabaseSimulator, _deny_writes,
                       declares_virtual_table)
from .errors import BadRequest, PlatformError, QueryCapExceeded

T = TypeVar("T")
ROW_ACTIONS = {sqlite3.SQLITE_INSERT, sqlite3.SQLITE_UPDATE, sqlite3.SQLITE_DELETE}
TRANSACTION_ACTIONS = {sqlite3.SQLITE_TRANSACTION, sqlite3.SQLITE_SAVEPOINT}
TEMP_SCHEMA_ACTIONS = {sqlite3.SQLITE_CREATE_TEMP_TABLE, sqlite3.SQLITE_CREATE_TEMP_INDEX,
                       sqlite3.SQLITE_CREATE_TEMP_VIEW, sqlite3.SQLITE_DROP_TEMP_TABLE,
                       sqlite3.SQLITE_DROP_TEMP_INDEX, sqlite3.SQLITE_DROP_TEMP_VIEW}
STATEMENT_METHODS = ("execute", "executemany", "open_cursor")
SHOWN_ROWS = 10  # a checked query with at most this many rows is compared (and shown in a diff) row by row


def _allow_row_writes(action: int, arg1: Any, _arg2: Any, db_name: Any, _trigger: Any) -> int:
    """Reads, transactions, row writes to any table but SQLite's own, and TEMP tables; never DDL on the task's
    schema, triggers, ATTACH or PRAGMA."""
    if action in READ_ACTIONS or action in TRANSACTION_ACTIONS or action in TEMP_SCHEMA_ACTIONS:
        return sqlite3.SQLITE_OK
    if declares_virtual_table(action, arg1, db_name):
        return sqlite3.SQLITE_OK
    if action in ROW_ACTIONS and (db_name == "temp" or not str(arg1).startswith("sqlite_")):
        return sqlite3.SQLITE_OK
    return sqlite3.SQLITE_DENY


@dataclass
class WritableDatabaseConfig(DatabaseConfig):
    write_row_ms: float = 0.01   # per row inserted, updated or deleted
    commit_ms: float = 2.0       # per commit that wrote at least one row
    max_params_per_statement: int = 32_766  # bind parameters in one statement (SQLite's default limit)


@dataclass
class WriteCounters:
    rows_written: int = 0
    commits: int = 0


def query_digest(rows: list[tuple]) -> Any:
    """A checked query's result: the rows themselves when few (readable diffs), else count + hash."""
    rows = [list(r) for r in rows]
    if len(rows) <= SHOWN_ROWS:
        return rows
    return {"rows": len(rows), "sha256": hashlib.sha256(repr(rows).encode()).hexdigest()}


class WritableDatabase(DatabaseSimulator):
    """The database simulator with writes, transactions and `executemany` (see the module docstring)."""

    kind = "writable_db"  # its declared methods (platforms/endpoints.py) add executemany and transaction

    def __init__(self, clock: VirtualClock, config: WritableDatabaseConfig, checks: dict[str, str] | None = None):
        super().__init__(clock, config)
        self.checks = dict(checks or {})   # name -> SQL run on the committed state after each request
        self.writes_total = WriteCounters()
        self.writes = WriteCounters()
        self._uncommitted = 0              # rows written by the open transaction (or the current statement)
        self._undone = 0                   # rows the current call wrote and then rolled back (a failed batch)

    def seal(self) -> None:
        self.conn.execute("PRAGMA foreign_keys = ON")  # declared foreign keys hold, as on any server database
        super().seal()
        self.conn.set_authorizer(_allow_row_writes)
        self.conn.isolation_level = None   # autocommit: transactions are the solution's own BEGIN ... COMMIT
        self.conn.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, self.config.max_params_per_statement)

    def _translate(self, exc: sqlite3.DatabaseError) -> Exception:
        if "too many SQL variables" in str(exc):
            return QueryCapExceeded(f"more than {self.config.max_params_per_statement} parameters in one statement")
        return super()._translate(exc)

    def start_request(self) -> None:
        self.end_open_transaction()
        super().start_request()
        self.writes = WriteCounters()

    def end_open_transaction(self) -> None:
        """The connection goes back to the pool: a transaction still open is rolled back, for free."""
        if self.conn.in_transaction:
            self.conn.rollback()
        self._uncommitted = 0

    def handle(self, message: dict) -> Any:
        method = message.get("method")
        changes = self.conn.total_changes
        self._undone = 0
        try:
            if method == "executemany":
                return self._executemany(message)
            return super().handle(message)
        except PlatformError as exc:
            if method in STATEMENT_METHODS and not isinstance(exc, QueryCapExceeded):
                self._charge(0, self._steps)   # the server parsed it and answered with an error
            raise
        finally:
            self._charge_writes(self.conn.total_changes - changes, message.get("sql"))

    def _executemany(self, message: dict) -> int:
        """One statement over many parameter rows, all or none; returns the number of rows it changed."""
        sql, rows = message.get("sql"), message.get("rows")
        if not isinstance(sql, str):
            raise BadRequest("sql must be a string")
        if not isinstance(rows, list) or not all(isinstance(r, (list, dict)) for r in rows):
            raise BadRequest("executemany takes a list of parameter rows (lists or objects)")
        self._count_query()
        before = self.conn.total_changes
        self._steps = 0
        self.conn.execute("SAVEPOINT sb_executemany")
        try:
            self.conn.executemany(sql, rows)
        except sqlite3.Error as exc:
            self._undone = self.conn.total_changes - before
            self.conn.execute("ROLLBACK TO sb_executemany")
            self.conn.execute("RELEASE sb_executemany")
            raise self._translate(exc) from None
        self.conn.execute("RELEASE sb_executemany")
        self._charge(len(rows), self._steps)
        return self.conn.total_changes - before

    def _charge_writes(self, written: int, sql: Any) -> None:
        """Rows written cost now (undone or not: the server did the work); a commit costs when the statement
        left no transaction open and something was written since the last commit (not when it was a ROLLBACK)."""
        self._uncommitted += written - self._undone
        committed = 0
        if not self.conn.in_transaction:
            rolled_back = isinstance(sql, str) and sql.lstrip().upper().startswith("ROLLBACK")
            committed = int(self._uncommitted > 0 and not rolled_back)
            self._uncommitted = 0
        ms = written * self.config.write_row_ms + committed * self.config.commit_ms
        if ms:
            self.clock.advance(ms)
        for counters in (self.total, self.request):
            counters.io_ms += ms
        for counters in (self.writes_total, self.writes):
            counters.rows_written += written
            counters.commits += committed

    def checked_state(self) -> dict | None:
        """The task's chosen queries on the committed data, after the request (outside any cost or counter)."""
        self.end_open_transaction()
        if not self.checks:
            return None
        self.conn.set_progress_handler(None, 0)
        try:
            return {name: query_digest(self.conn.execute(sql).fetchall()) for name, sql in self.checks.items()}
        finally:
            self.conn.set_progress_handler(self._on_progress, STEP_GRAIN)

    def usage(self) -> dict:
        return {**super().usage(), "db_rows_written": self.writes.rows_written, "db_commits": self.writes.commits}


_TEMPLATES: dict[Any, tuple[sqlite3.Connection, Any]] = {}  # share key -> a loaded database and load's result
TEMPLATES_KEPT = 2


class EditedDatabase(DatabaseSimulator):
    """A database the solution only reads while the world changes it between requests (an admin's edits,
    other services' writes), so a stale copy kept by the solution is a wrong answer. `edits[i]` is the list of
    (sql, params) applied, free of cost and counters, just before request i."""

    def __init__(self, clock: VirtualClock, config: DatabaseConfig, edits: dict[int, list[tuple[str, list]]]):
        super().__init__(clock, config)
        self.edits = edits
        self.requests_started = 0

    def start_request(self) -> None:
        super().start_request()
        edits = self.edits.get(self.requests_started, [])
        self.requests_started += 1
        if edits:
            self.conn.set_authorizer(None)
            try:
                for sql, params in edits:
                    self.conn.execute(sql, params)
                self.conn.commit()
            finally:
                self.conn.set_authorizer(_deny_writes)


def edited_database(config: dict, load: Callable[[sqlite3.Connection], T],
                    edits: dict[int, list[tuple[str, list]]]) -> tuple[EditedDatabase, T]:
    """`loaded_database` for a world that changes between requests (see EditedDatabase)."""
    db = EditedDatabase(VirtualClock(), DatabaseConfig.from_spec(config), edits)
    result = load(db.conn)
    db.seal()
    return db, result


def forget_shared_databases() -> None:
    """Drop the loaded databases kept for `share` keys (benchmarks time cold builds)."""
    while _TEMPLATES:
        _TEMPLATES.popitem()[1][0].close()


def shared_load(share: Any, load: Callable[[sqlite3.Connection], T]) -> Callable[[sqlite3.Connection], T]:
    """A `load` for `loaded_database` or `writable_database` that runs `load` once per `share` key (e.g. task,
    tier, seed) and fills every later database with a copy of its result (SQLite's backup, a page copy): the
    driver builds each world twice, and one world's writes or counters must never reach the other.
    `load`'s return value is shared, so keep it immutable."""
    def copy(conn: sqlite3.Connection) -> T:
        if share not in _TEMPLATES:
            while len(_TEMPLATES) >= TEMPLATES_KEPT:
                _TEMPLATES.pop(next(iter(_TEMPLATES)))[0].close()
            template = sqlite3.connect(":memory:", check_same_thread=False)
            _TEMPLATES[share] = (template, load(template))
            template.commit()
        template, result = _TEMPLATES[share]
        template.backup(conn)
        return result
    return copy


def writable_database(config: dict, load: Callable[[sqlite3.Connection], T], checks: dict[str, str] | None = None,
                      share: Any = None) -> tuple[WritableDatabase, T]:
    """`loaded_database` for tasks that write: filled by `load(conn)` on a new virtual clock, then sealed so
    the solution may write rows but not change the schema. `checks` are compared after every request.
    With a `share` key, `load` runs once per key and each database starts as a copy (see `shared_load`)."""
    db = WritableDatabase(VirtualClock(), WritableDatabaseConfig.from_spec(config), checks)
    result = (load if share is None else shared_load(share, load))(db.conn)
    db.seal()
    return db, result
