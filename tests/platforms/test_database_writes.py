"""The writable database: exact costs of statements, batches and commits; transactions; what stays forbidden;
the checked state the driver compares; and the client's `executemany` / `transaction()` over the real messages."""
import sys
from types import SimpleNamespace

import pytest

from scaleblind.graders.driver import InProcessChannel, platform_outputs
from scaleblind.graders.process import SOLUTION_LIB
from scaleblind.platforms.database import DatabaseConfig, DatabaseSimulator, loaded_database, wire_bytes
from scaleblind.platforms.clock import VirtualClock
from scaleblind.platforms.database_writes import (SHOWN_ROWS, WritableDatabase, edited_database, shared_load,
                                                  writable_database)
from scaleblind.platforms.errors import BadRequest, Forbidden, QueryCapExceeded
from scaleblind.platforms.world import World

RT, ROW, WRITE, COMMIT = 1.0, 0.01, 0.1, 2.0
CONFIG = {"round_trip_ms": RT, "per_row_ms": ROW, "per_kb_ms": 0.0, "per_kstep_ms": 0.0, "write_row_ms": WRITE, "commit_ms": COMMIT,
          "max_queries_per_request": 50, "max_params_per_statement": 100}


def load(conn) -> None:
    conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v INTEGER NOT NULL CHECK (v >= 0))")
    conn.executemany("INSERT INTO t VALUES (?, ?)", [(i, i) for i in range(1, 101)])


@pytest.fixture
def db() -> WritableDatabase:
    sim, _ = writable_database(CONFIG, load, checks={"count": "SELECT count(*), sum(v) FROM t",
                                                     "all": "SELECT id, v FROM t ORDER BY id"})
    sim.start_request()
    return sim


def execute(db, sql, params=()):
    return db.handle({"method": "execute", "sql": sql, "params": list(params)})


def executemany(db, sql, rows):
    return db.handle({"method": "executemany", "sql": sql, "rows": rows})


def value(db, row_id):
    return db.conn.execute("SELECT v FROM t WHERE id = ?", [row_id]).fetchone()


def test_a_write_outside_a_transaction_commits_on_its_own(db):
    execute(db, "UPDATE t SET v = v + 1 WHERE id <= 3")
    assert db.clock.now_ms == pytest.approx(RT + 3 * WRITE + COMMIT)
    assert db.usage()["db_rows_written"] == 3 and db.usage()["db_commits"] == 1
    execute(db, "SELECT v FROM t WHERE id = 1")                          # a read commits nothing
    assert db.usage()["db_commits"] == 1 and db.clock.now_ms == pytest.approx(2 * RT + 3 * WRITE + COMMIT + ROW)


def test_a_transaction_pays_one_commit_for_all_its_writes(db):
    execute(db, "BEGIN")
    for i in range(1, 11):
        execute(db, "UPDATE t SET v = 0 WHERE id = ?", [i])
    execute(db, "COMMIT")
    assert db.clock.now_ms == pytest.approx(12 * RT + 10 * WRITE + COMMIT)
    assert db.usage() | {"io_ms": 0} == {"queries": 12, "db_rows": 0, "db_bytes": 0, "db_ksteps": 0, "io_ms": 0,
                                         "db_rows_written": 10, "db_commits": 1}
    assert value(db, 5) == (0,)


def test_rollback_undoes_and_commits_nothing(db):
    execute(db, "BEGIN")
    execute(db, "DELETE FROM t")
    execute(db, "ROLLBACK")
    assert value(db, 5) == (5,)
    assert db.usage()["db_commits"] == 0 and db.clock.now_ms == pytest.approx(3 * RT + 100 * WRITE)


def test_executemany_is_one_round_trip_with_per_row_costs(db):
    changed = executemany(db, "INSERT INTO t VALUES (?, ?)", [[i, 7] for i in range(101, 1101)])
    assert changed == 1000
    assert db.clock.now_ms == pytest.approx(RT + 1000 * ROW + 1000 * WRITE + COMMIT)
    assert db.usage()["queries"] == 1 and db.usage()["db_commits"] == 1
    assert executemany(db, "UPDATE t SET v = :v WHERE id = :id", [{"id": 1, "v": 50}, {"id": 99999, "v": 1}]) == 1


def test_executemany_is_all_or_nothing_and_a_failure_still_costs_its_round_trip(db):
    with pytest.raises(BadRequest, match="CHECK constraint failed"):
        executemany(db, "INSERT INTO t VALUES (?, ?)", [[201, 1], [202, 2], [203, -1], [204, 4]])
    assert value(db, 201) is None
    assert db.usage()["db_rows_written"] == 2 and db.usage()["db_commits"] == 0   # the work was done, then undone
    assert db.clock.now_ms == pytest.approx(RT + 2 * WRITE)
    execute(db, "BEGIN")                                                   # inside a transaction: only that statement
    execute(db, "INSERT INTO t VALUES (301, 1)")
    with pytest.raises(BadRequest):
        executemany(db, "INSERT INTO t VALUES (?, ?)", [[302, 1], [301, 1]])
    execute(db, "COMMIT")
    assert value(db, 301) == (1,) and value(db, 302) is None


def test_a_failed_statement_costs_a_round_trip_and_changes_nothing(db):
    with pytest.raises(BadRequest, match="UNIQUE|PRIMARY KEY"):
        execute(db, "INSERT INTO t VALUES (5, 1)")
    assert db.clock.now_ms == pytest.approx(RT) and db.usage()["db_commits"] == 0
    assert value(db, 5) == (5,)


def test_a_transaction_left_open_is_rolled_back_when_the_request_ends(db):
    execute(db, "BEGIN")
    execute(db, "UPDATE t SET v = 1000 WHERE id = 1")
    assert db.checked_state()["count"] == [[100, 5050]]                   # checked on committed data only
    execute(db, "BEGIN")
    execute(db, "UPDATE t SET v = 1000 WHERE id = 1")
    db.start_request()
    assert value(db, 1) == (1,) and not db.conn.in_transaction


@pytest.mark.parametrize("sql", ["CREATE TABLE u (x)", "CREATE INDEX t_v ON t (v)", "DROP TABLE t",
                                 "ALTER TABLE t ADD COLUMN w", "CREATE TEMP TRIGGER tr AFTER INSERT ON t BEGIN "
                                 "DELETE FROM t; END", "ATTACH DATABASE ':memory:' AS other",
                                 "PRAGMA foreign_keys = OFF", "DELETE FROM sqlite_master",
                                 "UPDATE sqlite_master SET sql = 'x'"])
def test_the_schema_stays_the_tasks(db, sql):
    with pytest.raises((Forbidden, BadRequest)):
        execute(db, sql)
    assert execute(db, "SELECT count(*) FROM t") == [[100]]


def test_json_table_functions_work_and_can_feed_a_write(db):
    """The first json_each on a connection asks to update sqlite_master (the virtual table's declaration)."""
    assert execute(db, "SELECT value FROM json_each(?)", ["[3, 4]"]) == [[3], [4]]
    execute(db, "UPDATE t SET v = 0 WHERE id IN (SELECT value FROM json_each(?))", ["[3, 4]"])
    assert value(db, 3) == value(db, 4) == (0,) and value(db, 5) == (5,)
    assert execute(db, "SELECT count(*) FROM json_tree(?)", ['{"a": [1]}']) == [[3]]


def test_temporary_tables_are_allowed(db):
    execute(db, "CREATE TEMP TABLE staging (id INTEGER PRIMARY KEY, v INTEGER)")
    executemany(db, "INSERT INTO staging VALUES (?, ?)", [[1, 11], [2, 22]])
    execute(db, "UPDATE t SET v = (SELECT s.v FROM staging s WHERE s.id = t.id) WHERE id IN (SELECT id FROM staging)")
    execute(db, "DROP TABLE staging")
    assert value(db, 2) == (22,)


def test_the_query_cap_counts_every_statement_and_costs_nothing_more(db):
    for _ in range(50):
        execute(db, "SELECT 1")
    spent = db.clock.now_ms
    with pytest.raises(QueryCapExceeded):
        executemany(db, "INSERT INTO t VALUES (?, ?)", [[500, 1]])
    assert db.clock.now_ms == spent and value(db, 500) is None


def test_a_statement_over_the_parameter_cap_is_a_query_cap_failure(db):
    assert execute(db, f"SELECT count(*) FROM t WHERE id IN ({','.join('?' * 100)})", list(range(100))) == [[99]]
    with pytest.raises(QueryCapExceeded, match="more than 100 parameters"):
        execute(db, f"SELECT count(*) FROM t WHERE id IN ({','.join('?' * 101)})", list(range(101)))


def test_checked_state_shows_few_rows_and_hashes_many_and_costs_nothing(db):
    spent, queries = db.clock.now_ms, db.usage()["queries"]
    state = db.checked_state()
    assert state["count"] == [[100, 5050]]
    assert state["all"]["rows"] == 100 > SHOWN_ROWS and len(state["all"]["sha256"]) == 64
    assert db.clock.now_ms == spent and db.usage()["queries"] == queries
    execute(db, "UPDATE t SET v = 0 WHERE id = 100")
    assert db.checked_state()["all"] != state["all"]


def test_the_driver_compares_the_checked_state_and_a_read_only_database_adds_nothing(db):
    spec = SimpleNamespace(clients=("db",))
    assert platform_outputs(spec, SimpleNamespace(platforms={"db": db})) == {"db": db.checked_state()}
    read_only = DatabaseSimulator(VirtualClock(), DatabaseConfig())
    read_only.seal()
    assert platform_outputs(spec, SimpleNamespace(platforms={"db": read_only})) == {}
    with pytest.raises(BadRequest):
        read_only.handle({"method": "executemany", "sql": "INSERT INTO t VALUES (?)", "rows": [[1]]})


def test_foreign_keys_hold():
    sim, _ = writable_database(CONFIG, lambda conn: conn.executescript(
        "CREATE TABLE p (id INTEGER PRIMARY KEY); CREATE TABLE c (id INTEGER PRIMARY KEY, p INTEGER REFERENCES p (id));"
        "INSERT INTO p VALUES (1);"))
    execute(sim, "INSERT INTO c VALUES (1, 1)")
    with pytest.raises(BadRequest, match="FOREIGN KEY"):
        execute(sim, "INSERT INTO c VALUES (2, 2)")


def test_a_shared_load_runs_once_and_each_database_gets_its_own_copy():
    calls = []

    def counted(conn):
        calls.append(1)
        load(conn)
        return "loaded"

    first, result = writable_database(CONFIG, counted, share=("test", "copy"))
    second, again = writable_database(CONFIG, counted, share=("test", "copy"))
    assert calls == [1] and result == again == "loaded"
    execute(first, "DELETE FROM t")
    assert execute(second, "SELECT count(*) FROM t") == [[100]]
    with pytest.raises(Forbidden):
        execute(second, "DROP TABLE t")
    read_only, _ = loaded_database(CONFIG, shared_load(("test", "copy"), counted))    # a read-only copy too
    assert calls == [1] and execute(read_only, "SELECT count(*) FROM t") == [[100]]
    assert read_only.clock is not second.clock and read_only.usage()["queries"] == 1


def test_the_client_offers_executemany_and_transactions(db):
    sys.path.insert(0, str(SOLUTION_LIB))
    import platform_client
    platform_client._channel = InProcessChannel(World(db.clock, {"db": db}, []))
    client = platform_client.make_clients({"db": {"kind": db.kind, "endpoints": []}})["db"]
    with client.transaction():
        assert client.executemany("UPDATE t SET v = ? WHERE id = ?", ((0, i) for i in range(1, 6))) == 5
        client.execute("UPDATE t SET v = 0 WHERE id = 6")
    assert db.usage()["db_commits"] == 1 and value(db, 6) == (0,)
    with pytest.raises(ZeroDivisionError), client.transaction():
        client.execute("UPDATE t SET v = 0 WHERE id = 7")
        1 / 0
    assert value(db, 7) == (7,) and not db.conn.in_transaction
    with pytest.raises(platform_client.BadRequest, match="CHECK"):
        client.executemany("UPDATE t SET v = ? WHERE id = ?", [(-1, 8)])


def test_an_edited_database_changes_between_requests_for_free_and_stays_read_only_to_the_solution():
    edits = {1: [("UPDATE t SET v = ? WHERE id = ?", [0, 1])], 2: [("DELETE FROM t WHERE id > ?", [50])]}
    sim, _ = edited_database(CONFIG, load, edits)
    seen = []
    for _ in range(3):
        sim.start_request()
        seen.append(execute(sim, "SELECT count(*), sum(v) FROM t")[0])
    assert seen == [[100, 5050], [100, 5049], [50, 1274]]
    assert sim.clock.now_ms == pytest.approx(3 * (RT + ROW))          # the edits cost the solution nothing
    with pytest.raises(Forbidden):
        execute(sim, "DELETE FROM t")


@pytest.mark.parametrize("make", [
    lambda config: writable_database(config, load)[0],
    lambda config: edited_database(config, load, {})[0],
], ids=["writable", "edited"])
def test_the_subclasses_charge_result_bytes_whatever_the_shape(make):
    config = {**CONFIG, "per_kb_ms": 1.0}
    plain, packed = make(config), make(config)
    for sim in (plain, packed):
        sim.start_request()
    rows = execute(plain, "SELECT id, v FROM t")
    execute(packed, "SELECT json_group_array(json_array(id, v)) FROM t")
    assert plain.usage()["db_bytes"] == wire_bytes(rows) and packed.usage()["db_bytes"] >= wire_bytes(rows)
    assert plain.clock.now_ms == pytest.approx(RT + 100 * ROW + wire_bytes(rows) / 1000)
    assert packed.clock.now_ms == pytest.approx(RT + ROW + packed.usage()["db_bytes"] / 1000)
