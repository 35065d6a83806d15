"""Declared client methods: each platform call is declared once (name, parameters in order with types and
defaults, what it returns, a short doc), and everything else is derived from that one declaration: the
method list the prompt shows, the solution-side client's methods, and the platform's check of every call.

An API task declares its endpoints in `task.toml` (`[[platform.<client>.endpoints]]`); the database (read-only,
or writable where the task sets `kind = "writable_db"`) and the output stream have fixed methods, declared
here. Standard library only: this runs in the sandbox's driver.
"""
import ast
import inspect
import textwrap
from dataclasses import dataclass
from typing import Any

from .errors import BadRequest

KINDS = {"positional_or_keyword": inspect.Parameter.POSITIONAL_OR_KEYWORD,
         "keyword_only": inspect.Parameter.KEYWORD_ONLY,
         "var_keyword": inspect.Parameter.VAR_KEYWORD}
JSON_TYPES = {"str": (str,), "int": (int,), "float": (int, float), "bool": (bool,), "dict": (dict,),
              "list": (list,), "None": (type(None),)}
RESERVED = {"call"}  # names the client object already uses
WIDTH = 110


@dataclass(frozen=True)
class Param:
    name: str
    kind: str                   # a key of KINDS
    annotation: str = ""        # the declared type as written, e.g. "str | None"
    default: Any = None         # a JSON literal; only meaningful when has_default
    has_default: bool = False

    def text(self) -> str:
        if self.kind == "var_keyword":
            return f"**{self.name}"
        out = f"{self.name}: {self.annotation}" if self.annotation else self.name
        return f"{out} = {self.default!r}" if self.has_default else out

    def accepts(self, value: Any) -> bool:
        """Does a JSON value fit the declared type? Types other than plain JSON ones are not checked."""
        names = [part.strip().split("[")[0] for part in self.annotation.split("|")]
        if not self.annotation or any(name not in JSON_TYPES for name in names):
            return True
        if isinstance(value, bool) and "bool" not in names:
            return False
        return any(isinstance(value, JSON_TYPES[name]) for name in names)


@dataclass(frozen=True)
class Endpoint:
    name: str
    params: tuple[Param, ...]
    returns: str
    doc: str

    @classmethod
    def from_table(cls, table: dict) -> "Endpoint":
        """From a `task.toml` table: {name, params: "a: int, b: str = 'x'", returns, doc}."""
        name = table.get("name")
        if not isinstance(name, str) or not name.isidentifier() or name.startswith("_") or name in RESERVED:
            raise ValueError(f"endpoint name {name!r} must be a public identifier, not one of {sorted(RESERVED)}")
        params = parse_params(str(table.get("params", "")), name)
        return cls(name, params, str(table.get("returns", "")).strip(), " ".join(str(table.get("doc", "")).split()))

    @classmethod
    def from_wire(cls, data: dict) -> "Endpoint":
        params = tuple(Param(p["name"], p["kind"], p.get("annotation", ""), p.get("default"), "default" in p)
                       for p in data["params"])
        return cls(data["name"], params, data.get("returns", ""), data.get("doc", ""))

    def to_wire(self) -> dict:
        """The JSON form the driver hands to the solution process, which builds its client from it."""
        params = [{"name": p.name, "kind": p.kind, "annotation": p.annotation,
                   **({"default": p.default} if p.has_default else {})} for p in self.params]
        return {"name": self.name, "params": params, "returns": self.returns, "doc": self.doc}

    @property
    def signature(self) -> inspect.Signature:
        empty = inspect.Parameter.empty
        return inspect.Signature([inspect.Parameter(p.name, KINDS[p.kind], default=p.default if p.has_default else empty,
                                                    annotation=p.annotation or empty) for p in self.params])

    def call_text(self) -> str:
        return f"{self.name}({', '.join(p.text() for p in self.params)})"

    def describe(self, client: str) -> str:
        """One bullet of the prompt's method list: `- api.name(params) -> returns` on one line, then the doc
        (where `{client}` stands for the client's name), wrapped and indented."""
        head = f"- {client}.{self.call_text()}" + (f" -> {self.returns}" if self.returns else "")
        doc = textwrap.wrap(self.doc.replace("{client}", client), WIDTH, initial_indent="  ",
                            subsequent_indent="  ", break_long_words=False, break_on_hyphens=False)
        return "\n".join([head, *doc])

    def bind(self, args: Any, kwargs: Any) -> dict:
        """The keyword arguments for the handler, defaults filled in, or the platform's 400 naming the
        endpoint and its signature: a call that breaks the declaration never reaches the handler."""
        args, kwargs = [] if args is None else args, {} if kwargs is None else kwargs
        if not isinstance(args, list) or not isinstance(kwargs, dict):
            raise BadRequest(f"400: {self.name}: args must be a list and kwargs an object")
        try:
            bound = self.signature.bind(*args, **kwargs)
        except TypeError as exc:
            raise BadRequest(f"400: {self.name}: {exc}; the signature is {self.call_text()}") from None
        for param in self.params:
            given = bound.arguments.get(param.name, inspect.Parameter.empty)
            if param.kind != "var_keyword" and given is not inspect.Parameter.empty and not param.accepts(given):
                raise BadRequest(f"400: {self.name}: {param.name} must be {param.annotation}, "
                                 f"not {type(given).__name__}; the signature is {self.call_text()}")
        bound.apply_defaults()
        arguments: dict = {}
        for param in self.params:
            value = bound.arguments[param.name]
            if param.kind == "var_keyword":
                arguments.update(value)
            else:
                arguments[param.name] = value
        return arguments


def parse_params(text: str, where: str = "endpoint") -> tuple[Param, ...]:
    """`"a: int, b: str | None = None, **rest"` -> Params, read with Python's own parser. Defaults must be
    literals (they travel as JSON); `*args` and positional-only parameters have no JSON form."""
    try:
        args = ast.parse(f"def _({text}): pass").body[0].args
    except SyntaxError as exc:
        raise ValueError(f"{where}: params {text!r} are not a Python parameter list: {exc.msg}") from None
    if args.posonlyargs or args.vararg:
        raise ValueError(f"{where}: positional-only parameters and *args are not supported")
    defaults = [None] * (len(args.args) - len(args.defaults)) + list(args.defaults)
    plain = [(a, d, "positional_or_keyword") for a, d in zip(args.args, defaults)]
    plain += [(a, d, "keyword_only") for a, d in zip(args.kwonlyargs, args.kw_defaults)]
    params = [Param(a.arg, kind, ast.unparse(a.annotation) if a.annotation else "",
                    ast.literal_eval(d) if d is not None else None, d is not None) for a, d, kind in plain]
    if args.kwarg:
        params.append(Param(args.kwarg.arg, "var_keyword"))
    return tuple(params)


def parse_endpoints(tables: list[dict]) -> tuple[Endpoint, ...]:
    endpoints = tuple(Endpoint.from_table(t) for t in tables)
    names = [e.name for e in endpoints]
    if len(set(names)) != len(names):
        raise ValueError(f"endpoints declared twice: {names}")
    return endpoints


def signature_problems(endpoint: Endpoint, handler: Any) -> list[str]:
    """How a handler's signature differs from its declaration (names, kinds, defaults, in order)."""
    try:
        actual = inspect.signature(handler).parameters.values()
    except (TypeError, ValueError):
        return [f"{endpoint.name}: the handler has no signature"]
    declared = endpoint.signature.parameters.values()
    shape = lambda params: [(p.name, p.kind, p.default) for p in params]  # noqa: E731
    if shape(actual) != shape(declared):
        return [f"{endpoint.name}: declared ({', '.join(str(p) for p in declared)}) but the handler takes "
                f"({', '.join(str(p) for p in actual)})"]
    return []


def check_handlers(endpoints: tuple[Endpoint, ...], handlers: dict) -> None:
    """Every declared endpoint has a handler with the declared signature, and nothing else is served."""
    declared = {e.name for e in endpoints}
    problems = [f"handler {name!r} is not declared" for name in sorted(set(handlers) - declared)]
    problems += [f"endpoint {name!r} has no handler" for name in sorted(declared - set(handlers))]
    problems += [p for e in endpoints if e.name in handlers for p in signature_problems(e, handlers[e.name])]
    if problems:
        raise ValueError("endpoint declarations and handlers disagree: " + "; ".join(problems))


STREAM = {"name": "stream", "params": "sql: str, params: list | tuple | dict = (), batch_size: int = 1000",
          "returns": "iterator of tuples",
          "doc": "Runs one query and yields its rows one by one, fetching them from the database batch_size rows "
                 "at a time."}
# The database and the output stream: the same methods in every task (the client classes in
# graders/solution_lib/platform_client.py are tested to have exactly these signatures).
DATABASE_METHODS = parse_endpoints([
    {"name": "execute", "params": "sql: str, params: list | tuple | dict = ()", "returns": "list[tuple]",
     "doc": "Runs one query (`?` or `:name` placeholders, bound from params) and returns all its rows."},
    STREAM,
])
# A database the task lets the solution write (kind "writable_db", platforms/database_writes.py): the same
# reads, plus batched statements and transactions. Read-only tasks never show these methods.
WRITABLE_DATABASE_METHODS = parse_endpoints([
    {"name": "execute", "params": "sql: str, params: list | tuple | dict = ()", "returns": "list[tuple]",
     "doc": "Runs one statement (`?` or `:name` placeholders, bound from params) and returns its rows ([] for an "
            "INSERT, UPDATE or DELETE without RETURNING). A statement that fails (a broken constraint, bad SQL) "
            "raises BadRequest with SQLite's message and changes nothing; an open transaction stays open."},
    {"name": "executemany", "params": "sql: str, rows: list[list | tuple | dict]", "returns": "int",
     "doc": "Runs one statement once per parameter row (each row bound like params), all or none: if one row "
            "fails, no row is applied and BadRequest is raised. Returns the number of rows changed."},
    STREAM,
    {"name": "transaction", "params": "", "returns": "context manager",
     "doc": "`with {client}.transaction(): ...` runs BEGIN, then COMMIT when the block ends, or ROLLBACK if it "
            "raises; BEGIN, COMMIT and ROLLBACK sent with {client}.execute work too. Outside a transaction every "
            "statement commits on its own. A transaction still open when the function returns is rolled back."},
])
SINK_METHODS = parse_endpoints([
    {"name": "write", "params": "text: str", "returns": "int",
     "doc": "Appends text to the file and returns the number of characters written. `{client}` is a file-like "
            "text stream: csv.writer({client}) and print(..., file={client}) work on it."},
])
FIXED_METHODS = {"db": DATABASE_METHODS, "writable_db": WRITABLE_DATABASE_METHODS, "sink": SINK_METHODS}
DEFAULT_KINDS = {"api": "api", "db": "db", "out": "sink"}  # the conventional client names


def client_methods(client: str, table: dict) -> tuple[str, tuple[Endpoint, ...]]:
    """A task's client, from its name and `[platform.<client>]` table: (kind, declared methods). A client
    with declared endpoints is an API; otherwise `kind` in the table, or the conventional name, decides."""
    if table.get("endpoints"):
        return "api", parse_endpoints(table["endpoints"])
    kind = table.get("kind") or DEFAULT_KINDS.get(client)
    if kind not in FIXED_METHODS:
        raise ValueError(f"client {client!r}: declare its endpoints in [[platform.{client}.endpoints]], "
                         f"or set kind to one of {sorted(FIXED_METHODS)}")
    return kind, FIXED_METHODS[kind]


def methods_text(client: str, table: dict) -> str:
    """The prompt's method list of one client: one bullet per declared method."""
    return "\n".join(e.describe(client) for e in client_methods(client, table)[1])
