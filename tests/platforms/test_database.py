"""The database simulator: exact costs, the query cap, and read-only enforcement."""
import pytest

from scaleblind.platforms.clock import VirtualClock
from scaleblind.platforms.database import STEP_GRAIN, DatabaseConfig, DatabaseSimulator, wire_bytes
from scaleblind.platforms.errors import BadRequest, Forbidden, QueryCapExceeded


@pytest.fixture
def db() -> DatabaseSimulator:
    sim = DatabaseSimulator(VirtualClock(), DatabaseConfig(round_trip_ms=2, per_row_ms=0.01, per_kb_ms=0.0,
                                                           per_kstep_ms=0.0, max_queries_per_request=5))
    sim.conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)")
    sim.conn.executemany("INSERT INTO t VALUES (?, ?)", [(i, f"v{i}") for i in range(1, 1001)])
    sim.seal()
    return sim


def execute(db, sql, params=()):
    return db.handle({"method": "execute", "sql": sql, "params": list(params)})


def test_round_trip_and_rows_cost_exactly(db):
    rows = execute(db, "SELECT id, v FROM t WHERE id <= ?", [100])
    assert len(rows) == 100 and rows[0] == [1, "v1"]
    assert db.clock.now_ms == pytest.approx(2 + 100 * 0.01)
    assert db.usage()["queries"] == 1 and db.usage()["db_rows"] == 100


def bytes_only() -> DatabaseSimulator:
    """Only the per-KB cost, 1 ms per 1,000 bytes, on 1,000 rows of two columns."""
    sim = DatabaseSimulator(VirtualClock(), DatabaseConfig(round_trip_ms=0, per_row_ms=0, per_kb_ms=1.0,
                                                           per_kstep_ms=0))
    sim.conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)")
    sim.conn.executemany("INSERT INTO t VALUES (?, ?)", [(i, f"value-{i:05d}") for i in range(1, 1001)])
    sim.seal()
    return sim


def test_wire_bytes_is_the_compact_json_of_the_rows():
    assert wire_bytes([]) == 0
    assert wire_bytes([[1, "v1"], [2, None]]) == len('[[1,"v1"],[2,null]]')
    assert wire_bytes([[b"\x00\xff"]]) == len('[["00ff"]]')     # a BLOB counts as its hex text


def test_result_bytes_are_charged_exactly():
    sim = bytes_only()
    rows = execute(sim, "SELECT id, v FROM t")
    assert sim.usage()["db_bytes"] == wire_bytes(rows) > 19_000
    assert sim.clock.now_ms == pytest.approx(wire_bytes(rows) / 1000)


def test_a_packed_result_pays_for_its_bytes():
    """The audit's attack: json_group_array packs 1,000 rows into one; it saves the per-row cost, not the bytes."""
    plain, packed = bytes_only(), bytes_only()
    execute(plain, "SELECT id, v FROM t")
    rows = execute(packed, "SELECT json_group_array(json_array(id, v)) FROM t")
    assert len(rows) == 1 and packed.usage()["db_rows"] == 1
    assert packed.usage()["db_bytes"] >= plain.usage()["db_bytes"]   # escaped quotes: a packed result is larger
    assert packed.clock.now_ms >= plain.clock.now_ms > 19.0


def test_streamed_batches_pay_for_their_bytes():
    sim = bytes_only()
    opened = sim.handle({"method": "open_cursor", "sql": "SELECT id, v FROM t", "params": []})
    size = sum(wire_bytes(sim.handle({"method": "fetch", "cursor": opened["cursor"], "size": 300}))
               for _ in range(4))
    assert sim.usage()["db_bytes"] == size and sim.clock.now_ms == pytest.approx(size / 1000)


def test_work_is_counted_in_vm_steps_not_seconds():
    sim = DatabaseSimulator(VirtualClock(), DatabaseConfig(round_trip_ms=0, per_row_ms=0, per_kstep_ms=1.0))
    sim.conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v INTEGER)")
    sim.conn.executemany("INSERT INTO t VALUES (?, ?)", [(i, i % 7) for i in range(20000)])
    sim.seal()
    execute(sim, "SELECT count(*) FROM t WHERE v = 3")          # a scan: thousands of VM steps
    scan = sim.clock.now_ms
    execute(sim, "SELECT v FROM t WHERE id = 5")                 # an index seek
    seek = sim.clock.now_ms - scan
    assert scan >= 20000 / STEP_GRAIN
    assert seek < scan / 10
    again = DatabaseSimulator(VirtualClock(), sim.config)
    again.conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v INTEGER)")
    again.conn.executemany("INSERT INTO t VALUES (?, ?)", [(i, i % 7) for i in range(20000)])
    again.seal()
    execute(again, "SELECT count(*) FROM t WHERE v = 3")
    assert again.clock.now_ms == scan                            # deterministic


def test_query_cap_per_request(db):
    for _ in range(5):
        execute(db, "SELECT 1")
    with pytest.raises(QueryCapExceeded):
        execute(db, "SELECT 1")
    db.start_request()
    execute(db, "SELECT 1")


@pytest.mark.parametrize("sql", ["DELETE FROM t", "UPDATE t SET v = 'x'", "INSERT INTO t VALUES (5000, 'x')",
                                 "DROP TABLE t", "CREATE TABLE u (x)", "ATTACH DATABASE '/etc/passwd' AS p",
                                 "PRAGMA writable_schema = 1", "UPDATE sqlite_master SET sql = 'x'",
                                 "UPDATE main.sqlite_master SET name = 'u' WHERE name = 't'",
                                 "DELETE FROM sqlite_master", "SELECT * FROM pragma_table_info('t')"])
def test_writes_attach_and_pragma_are_refused(db, sql):
    with pytest.raises((Forbidden, BadRequest)):
        execute(db, sql)
    assert execute(db, "SELECT count(*) FROM t") == [[1000]]
    assert db.conn.execute("SELECT name, sql FROM sqlite_master").fetchall() == \
           [("t", "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)")]


@pytest.mark.parametrize("first", ["json_each", "json_tree"])
def test_json_table_functions_read_on_a_fresh_connection(first):
    """SQLite's first json_each/json_tree on a connection asks to update sqlite_master while it declares the
    virtual table; honest read-only SQL using them must work from the very first query, and writes stay refused."""
    sim = DatabaseSimulator(VirtualClock(), DatabaseConfig())
    sim.conn.execute("CREATE TABLE posts (id INTEGER PRIMARY KEY, tags TEXT)")
    sim.conn.executemany("INSERT INTO posts VALUES (?, ?)", [(1, '["a", "b"]'), (2, '{"x": ["c"]}')])
    sim.seal()
    assert execute(sim, f"SELECT value FROM {first}(?) WHERE atom IS NOT NULL ORDER BY 1", ['["q", "p"]']) == [["p"], ["q"]]
    assert execute(sim, "SELECT p.id, j.value FROM posts p, json_each(p.tags) j WHERE p.id = 1") == \
           [[1, "a"], [1, "b"]]
    assert execute(sim, "SELECT j.fullkey FROM posts p, json_tree(p.tags) j WHERE p.id = 2 AND j.atom = 'c'") == \
           [["$.x[0]"]]
    assert execute(sim, "SELECT count(*) FROM json_each(?)", ["[1, 2, 3]"]) == [[3]]
    for sql in ("UPDATE sqlite_master SET sql = 'x'", "UPDATE posts SET tags = '[]'",
                "INSERT INTO posts SELECT key + 10, value FROM json_each('[\"z\"]')"):
        with pytest.raises((Forbidden, BadRequest)):
            execute(sim, sql)
    assert sim.conn.execute("SELECT tags FROM posts ORDER BY id").fetchall() == [('["a", "b"]',), ('{"x": ["c"]}',)]


def test_cursor_streams_in_batches_counted_as_one_query(db):
    opened = db.handle({"method": "open_cursor", "sql": "SELECT id FROM t ORDER BY id", "params": []})
    total = 0
    while rows := db.handle({"method": "fetch", "cursor": opened["cursor"], "size": 300}):
        total += len(rows)
    db.handle({"method": "close", "cursor": opened["cursor"]})
    assert total == 1000
    assert db.usage()["queries"] == 1
    assert db.request.fetches == 5                                # 300+300+300+100, then an empty batch
    assert db.clock.now_ms == pytest.approx(2 * 6 + 1000 * 0.01)  # open + 5 fetches, each a round trip


def test_bad_sql_is_a_bad_request(db):
    with pytest.raises(BadRequest):
        execute(db, "SELEC nonsense")
    with pytest.raises(BadRequest):
        db.handle({"method": "execute", "sql": 42, "params": []})
