"""The solution-side clients honour the signatures the prompt states: API methods are built from the endpoint
declarations (positional, keyword and default arguments bind as in Python), and `db`/`out` have exactly the
declared methods. A call through the real solution process grades the same whichever way it passes arguments."""
import ast
import asyncio
import inspect
import json
import sqlite3
import sys

import pytest

from scaleblind.graders.driver import InProcessChannel, build_world, client_config
from scaleblind.graders.grade import grade_answer
from scaleblind.graders.process import SOLUTION_LIB
from scaleblind.platforms.clock import VirtualClock
from scaleblind.platforms.database import DatabaseConfig, DatabaseSimulator
from scaleblind.platforms.endpoints import (DATABASE_METHODS, FIXED_METHODS, SINK_METHODS,
                                           WRITABLE_DATABASE_METHODS, client_methods, methods_text)
from scaleblind.platforms.world import World
from scaleblind.sandbox.local import LocalSandbox
from scaleblind.tasks.registry import all_tasks, solution_path

sys.path.insert(0, str(SOLUTION_LIB))
import platform_client  # noqa: E402

API_TASKS = [spec for spec in all_tasks().values() if "endpoints" in spec.platform.get("api", {})]
# One valid call of every endpoint, as (positional arguments, keyword-only extras): a new endpoint needs one.
EXAMPLES = {
    ("sync/webhook_batch", "post_webhook"): (["evt_probe", {"id": "evt_probe", "type": "order.paid"}], {}),
    ("sync/catalog_mirror", "list_products"): ([None, 5, None], {}),
    ("filters/faceted_catalog", "list_products"): ([2, 5], {}),
    ("filters/faceted_catalog", "search_products"): ([1, 5, ["brand"]], {"category": "shoes", "in_stock_only": True}),
    ("joins/contact_dedup", "search_contacts"): (["email", "nobody@example.com"], {}),
    ("joins/contact_dedup", "batch_read_contacts"): (["phone", ["+14155550132", "+14155550133"]], {}),
    ("joins/contact_dedup", "list_contacts"): ([3, 5], {}),
    ("diffing/supplier_feed", "feed_page"): (["MUG"], {}),
    ("chat/channel_export", "conversations_history"): (["C0GENERAL", 0, None, None, 5], {}),
    ("chat/channel_export", "users_info"): (["U00000000"], {}),
    ("chat/channel_export", "users_list"): ([None, 5], {}),
}


def endpoints_of(spec):
    return [(spec, e) for e in client_config(spec, build_world(spec, spec.tier("demo"), 0))["api"]["endpoints"]]


ENDPOINTS = [pair for spec in API_TASKS for pair in endpoints_of(spec)]


def api_client(spec):
    """The solution-side client of a fresh demo world, talking to it through the same messages as a solution."""
    world = build_world(spec, spec.tier("demo"), 0)
    platform_client._channel = InProcessChannel(world)
    return platform_client.make_clients(client_config(spec, world))["api"]


def call_forms(declaration: dict, args: list, extra: dict) -> dict[str, tuple[list, dict]]:
    """The same call written positionally, by keyword, mixed, and with trailing defaults left out."""
    names = [p["name"] for p in declaration["params"] if p["kind"] != "var_keyword"]
    by_name = dict(zip(names, args))
    forms = {"positional": (list(args), dict(extra)), "keyword": ([], {**by_name, **extra}),
             "mixed": (list(args[:1]), {**dict(list(by_name.items())[1:]), **extra})}
    defaults = {p["name"]: p["default"] for p in declaration["params"] if "default" in p}
    trimmed = list(args)
    while trimmed and names[len(trimmed) - 1] in defaults and defaults[names[len(trimmed) - 1]] == trimmed[-1]:
        trimmed.pop()
    forms["defaults left out"] = (trimmed, dict(extra))
    return forms


@pytest.mark.parametrize("spec, declaration", ENDPOINTS, ids=lambda x: x.id if hasattr(x, "id") else x["name"])
def test_every_endpoint_answers_the_same_positionally_by_keyword_and_with_defaults(spec, declaration):
    assert (spec.id, declaration["name"]) in EXAMPLES, "add an example call of this endpoint to EXAMPLES"
    args, extra = EXAMPLES[spec.id, declaration["name"]]
    answers = {}
    for form, (a, k) in call_forms(declaration, args, extra).items():
        method = getattr(api_client(spec), declaration["name"])
        answers[form] = method(*a, **k)
    assert all(answer == answers["keyword"] for answer in answers.values()), answers


@pytest.mark.parametrize("spec, declaration", ENDPOINTS, ids=lambda x: x.id if hasattr(x, "id") else x["name"])
def test_client_methods_carry_the_declared_signature_and_doc(spec, declaration):
    method = getattr(api_client(spec), declaration["name"])
    assert [p.name for p in inspect.signature(method).parameters.values()] == \
           [p["name"] for p in declaration["params"]]
    assert method.__doc__ == declaration["doc"] and method.__name__ == declaration["name"]


def test_a_call_that_breaks_the_signature_raises_the_platforms_bad_request():
    api = api_client(next(s for s in API_TASKS if s.id == "sync/webhook_batch"))
    with pytest.raises(platform_client.BadRequest, match=r"post_webhook.*payload.*post_webhook\(event_id: str"):
        api.post_webhook("evt_1")
    with pytest.raises(platform_client.BadRequest, match="too many positional arguments"):
        api.post_webhook("evt_1", {}, "extra")
    with pytest.raises(platform_client.BadRequest, match="event_id must be str"):
        api.post_webhook(17, {})
    with pytest.raises(AttributeError, match="no endpoint 'post_webhooks'; endpoints: post_webhook"):
        api.post_webhooks("evt_1", {})
    with pytest.raises(platform_client.BadRequest, match="404"):
        api.call("post_webhooks", "evt_1", {})


def test_arguments_travel_as_json_values():
    np = pytest.importorskip("numpy")
    api = api_client(next(s for s in API_TASKS if s.id == "joins/contact_dedup"))
    as_list = api.list_contacts(0, 5)
    assert api.list_contacts(np.int64(0), np.int64(5)) == as_list
    values = ("+14155550132", "+14155550133")
    assert api.batch_read_contacts("phone", values) == api.batch_read_contacts("phone", list(values))
    with pytest.raises(platform_client.BadRequest, match="cannot be sent as JSON"):
        api.batch_read_contacts("phone", [object()])


@pytest.mark.parametrize("spec", list(all_tasks().values()), ids=lambda s: s.id)
def test_the_prompt_describes_each_client_as_the_kind_the_world_serves(spec):
    world = build_world(spec, spec.tier("demo"), 0)
    for client in spec.clients:
        kind, methods = client_methods(client, spec.platform.get(client, {}))
        assert kind == world.platforms[client].kind, client
        if kind == "api":
            assert [m.name for m in methods] == list(world.platforms[client].declared)


# --- db and out: fixed methods, declared once in platforms/endpoints.py ------------------------------------------

@pytest.mark.parametrize("kind", list(FIXED_METHODS))
def test_db_and_out_clients_have_exactly_the_declared_signatures(kind):
    cls = platform_client.CLIENT_TYPES[kind]
    for endpoint in FIXED_METHODS[kind]:
        actual = list(inspect.signature(getattr(cls, endpoint.name)).parameters.values())[1:]  # without self
        assert [(p.name, p.kind, p.default) for p in actual] == \
               [(p.name, p.kind, p.default) for p in endpoint.signature.parameters.values()], endpoint.name


@pytest.mark.parametrize("kind", ["db", "writable_db"])
def test_a_database_client_has_no_public_method_it_does_not_declare(kind):
    """A read-only task's prompt shows no write method, and its client has none to call."""
    cls = platform_client.CLIENT_TYPES[kind]
    public = {name for name, value in inspect.getmembers(cls, callable) if not name.startswith("_")}
    assert public == {e.name for e in FIXED_METHODS[kind]}


def test_only_a_writable_database_shows_write_methods():
    writes = {e.name for e in WRITABLE_DATABASE_METHODS} - {e.name for e in DATABASE_METHODS}
    assert writes == {"executemany", "transaction"}
    assert "db.executemany(" not in methods_text("db", {}) and "db.transaction()" not in methods_text("db", {})
    assert "db.executemany(" in methods_text("db", {"kind": "writable_db"})
    assert "with db.transaction():" in methods_text("db", {"kind": "writable_db"})
    for spec in all_tasks().values():
        for client in spec.clients:
            kind = client_methods(client, spec.platform.get(client, {}))[0]
            shown = methods_text(client, spec.platform.get(client, {}))
            assert (f"{client}.executemany(" in shown) == (kind == "writable_db"), (spec.id, client)


class Recorder:
    """A channel that keeps what a sink sends."""

    def __init__(self):
        self.data = []

    def call(self, message: dict) -> dict:
        self.data.append(message["data"])
        return {"ok": len(message["data"])}


def test_out_is_a_file_like_text_stream():
    import csv
    pandas = pytest.importorskip("pandas")
    platform_client._channel = recorder = Recorder()
    with platform_client.make_clients({"out": {"kind": "sink", "endpoints": []}})["out"] as out:
        assert out.write("a,b\n") == 4 and out.writable() and not out.closed
        csv.writer(out).writerow([1, "x,y"])
        print("z", file=out)
        out.writelines(["p\n", "q\n"])
        pandas.DataFrame({"n": [7]}).to_csv(out, index=False, header=False)
    assert "".join(recorder.data) == 'a,b\n1,"x,y"\r\nz\np\nq\n7\n' and out.closed
    with pytest.raises(ValueError, match="closed file"):
        out.write("late")
    with pytest.raises(TypeError, match="must be str, not bytes"):
        platform_client.Sink("out").write(b"bytes")


def small_database(rows: int) -> World:
    db = DatabaseSimulator(VirtualClock(), DatabaseConfig())
    db.conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, day TEXT)")
    db.conn.executemany("INSERT INTO t VALUES (?, ?)", [(i, f"2026-01-{1 + i % 28:02d}") for i in range(rows)])
    db.seal()
    platform_client._channel = InProcessChannel(World(db.clock, {"db": db}, []))
    return platform_client.make_clients({"db": {"kind": "db", "endpoints": []}})["db"]


def test_db_execute_and_stream_take_positional_and_keyword_arguments():
    db = small_database(30)
    sql = "SELECT id FROM t WHERE id < ? ORDER BY id"
    expected = [(i,) for i in range(5)]
    assert db.execute(sql, (5,)) == db.execute(sql, [5]) == db.execute(sql=sql, params=[5]) == expected
    assert db.execute("SELECT id FROM t WHERE id < :n ORDER BY id", {"n": 5}) == expected
    assert list(db.stream(sql, (5,), 2)) == list(db.stream(sql, params=(5,), batch_size=2)) == expected
    assert list(db.stream(sql=sql, params=[5])) == expected
    assert db.execute("SELECT count(*) FROM t", None) == [(30,)]


def test_db_parameters_convert_as_sqlite3_converts_them():
    import datetime
    np = pytest.importorskip("numpy")
    db = small_database(30)
    conn = sqlite3.connect(":memory:")
    for value in (datetime.date(2026, 1, 3), np.int64(3)):
        assert db.execute("SELECT ?", [value]) == [tuple(conn.execute("SELECT ?", [value if not hasattr(value, "item")
                                                                                   else value.item()]).fetchone())]
    with pytest.raises(platform_client.BadRequest, match="unsupported type"):
        db.execute("SELECT ?", 5)


def test_db_stream_serves_any_batch_size():
    db = small_database(25_000)
    assert sum(1 for _ in db.stream("SELECT id FROM t", (), 50_000)) == 25_000
    with pytest.raises(platform_client.BadRequest, match="batch_size"):
        next(db.stream("SELECT id FROM t", (), 0))


# --- through the real solution process: positional and keyword calls grade the same ------------------------------

class ToStyle(ast.NodeTransformer):
    """Rewrites every `api.<endpoint>(...)` call to pass the declared parameters positionally (filling skipped
    ones with their defaults) or by keyword; `**mapping` stays as it is."""

    def __init__(self, declarations: dict, positional: bool):
        self.declarations, self.positional = declarations, positional

    def visit_Call(self, node: ast.Call) -> ast.Call:
        self.generic_visit(node)
        func = node.func
        if not (isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id == "api"
                and func.attr in self.declarations):
            return node
        params = [p for p in self.declarations[func.attr]["params"] if p["kind"] == "positional_or_keyword"]
        given = {p["name"]: arg for p, arg in zip(params, node.args)}
        given.update({k.arg: k.value for k in node.keywords if k.arg in {p["name"] for p in params}})
        rest = [k for k in node.keywords if k.arg not in given]
        if self.positional:
            last = max((i for i, p in enumerate(params) if p["name"] in given), default=-1)
            node.args = [given.get(p["name"], ast.Constant(p.get("default"))) for p in params[:last + 1]]
            node.keywords = rest
        else:
            node.args = []
            node.keywords = [ast.keyword(name, value) for name, value in given.items()] + rest
        return node


def probe(declarations: dict, spec_id: str, positional: bool) -> str:
    """Source of a `_probe(api)` that calls every endpoint once in the given style (a 429 is waited out)."""
    lines = ["def _probe(api):", "    import time", "    from platform_client import RateLimited"]
    for name in declarations:
        args, extra = EXAMPLES[spec_id, name]
        names = [p["name"] for p in declarations[name]["params"] if p["kind"] != "var_keyword"]
        call = (", ".join([*map(repr, args), *(f"{k}={v!r}" for k, v in extra.items())]) if positional else
                ", ".join([*(f"{n}={v!r}" for n, v in zip(names, args)), *(f"{k}={v!r}" for k, v in extra.items())]))
        lines += ["    while True:", "        try:", f"            api.{name}({call})", "            break",
                  "        except RateLimited as exc:", "            time.sleep(exc.retry_after + 0.01)"]
    return "\n".join(lines)


def styled_solution(spec, positional: bool) -> str:
    declarations = {e["name"]: e for _, e in endpoints_of(spec)}
    tree = ToStyle(declarations, positional).visit(ast.parse(solution_path(spec, "reference").read_text()))
    entry = spec.entry
    return "\n".join([ast.unparse(ast.fix_missing_locations(tree)), probe(declarations, spec.id, positional),
                      f"_entry = {entry}", f"def {entry}(api, **kwargs):", "    _probe(api)",
                      "    return _entry(api=api, **kwargs)"])  # clients come by keyword, in any order


def test_the_rewrite_really_changes_the_call_style():
    spec = next(s for s in API_TASKS if s.id == "sync/webhook_batch")
    assert "api.post_webhook(event['id'], event)" in styled_solution(spec, positional=True)
    assert "api.post_webhook(event_id=event['id'], payload=event)" in styled_solution(spec, positional=False)
    mirror = next(s for s in API_TASKS if s.id == "sync/catalog_mirror")
    assert "api.list_products(None, 250, page_info)" in styled_solution(mirror, positional=True)


@pytest.mark.slow
@pytest.mark.parametrize("spec", API_TASKS, ids=lambda s: s.id)
def test_positional_and_keyword_calls_grade_the_same(spec):
    """The issue's failure: an answer calling `api.post_webhook(event_id, payload)` crashed at demo. Every
    endpoint, called both ways from the real solution process, must give the same verdict, correct at demo."""
    verdicts = {style: asyncio.run(grade_answer(spec, styled_solution(spec, style == "positional"), LocalSandbox(),
                                                tiers=["demo"]))
                for style in ("positional", "keyword")}
    shape = {style: [(t["tier"], t["correct"], t["failure"], t["api_calls"]) for t in v["tiers"]]
             for style, v in verdicts.items()}
    assert verdicts["positional"]["correct_at_demo"], json.dumps(verdicts["positional"]["tiers"])[:2000]
    assert shape["positional"] == shape["keyword"]
