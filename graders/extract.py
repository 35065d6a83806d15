"""Find the solution module in a model's answer: the code it gives the user to run, not its commentary.

One extractor, used by the grader and the scorer alike; its cases are kept as data in
`tests/graders/extract_cases.json`. Code comes as fenced blocks, an unclosed last fence, or bare code amid prose.
Real chat answers put the complete module in one block and then a usage example (`top_products(db, ...)` on
names that exist only in the user's program), tests or an alternative in further blocks, and sometimes an
example call at the bottom of the module itself. Run at import, such code crashes an honest answer with a
NameError, so the rules are about what runs, read from the syntax tree (no prose is interpreted):

1. **The primary block** is the last Python block that defines the entry and is *complete*: together with its
   helper blocks (rule 2) every name it reads is bound, and the entry's body is not elided with `...` or a
   stub. When none is complete, the last block that defines the entry, so the grade shows the real error.
   Why the last: when an answer defines the entry twice, the later one is the version the author ends on: a
   corrected or revised version, "your draft" quoted before the extended one, a step-by-step build ending in
   the full module. A later alternative is also code the answer offers to run, so grading it is fair, while
   grading a quoted draft or a superseded version would fail the answer for code it replaced.
2. **Helper blocks.** Another block is added only when it binds a name the chosen code reads and does not
   bind (helpers or imports split into their own block), and never when it calls the entry: usage examples,
   tests and alternatives call it. Where a helper block redefines a name the primary defines, the primary's
   definition is kept. Blocks keep their order in the answer.
3. **Example statements** in the chosen code are left out: a top-level statement that, at import, calls the
   entry (directly or through a function of the module) or evaluates a name that nothing in the module binds
   (it would raise NameError), and the set-up whose names only such statements read (`conn = connect(...)`
   before `print(top_products(conn, ...))`). A statement stays whenever the rest of the module reads a name it binds (the
   module needs it; if it fails, it fails as the model wrote it). Definitions, imports, and an
   `if __name__ == "__main__":` block (it never runs: the solution is imported as module `solution`) always stay.
"""
from __future__ import annotations

import ast
import builtins
import re
import symtable
from collections import Counter
from dataclasses import dataclass
from functools import cached_property

FENCE = re.compile(r"^([ \t]*)(```+|~~~+)[ \t]*([\w+#.-]*)[^\n]*$", re.MULTILINE)
PYTHON_TAGS = {"", "python", "py", "python3", "py3", "ipython"}
CODE_START = re.compile(r"^(def |class |import |from |@|async def |[A-Za-z_][\w.]*\s*=|if __name__)")
ALWAYS_BOUND = frozenset(dir(builtins)) | {"__name__", "__file__", "__doc__", "__spec__", "__loader__",
                                            "__package__", "__builtins__", "__annotations__"}
DEFINITIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Import, ast.ImportFrom)
FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)
UNPARSABLE = (SyntaxError, ValueError, RecursionError, MemoryError)  # deeply nested code exhausts the parser


@dataclass(frozen=True)
class Extraction:
    code: str | None
    problem: str | None     # None, "no_code" or "syntax_error"
    detail: str = ""


def fenced_blocks(text: str) -> list[tuple[str, str]]:
    """(language tag, body) of every fenced block; an unclosed last fence runs to the end of the text.

    A fence indented inside a list item has its body indented as much; that indentation is removed, as
    Markdown renders it, so the code parses.
    """
    blocks, position = [], 0
    while True:
        opening = FENCE.search(text, position)
        if not opening:
            return blocks
        indent, fence, tag = len(opening.group(1)), opening.group(2), opening.group(3).lower()
        closing = re.compile(r"^[ \t]*" + re.escape(fence[0]) + "{" + str(len(fence)) + r",}[ \t]*$", re.MULTILINE)
        end = closing.search(text, opening.end())
        body = text[opening.end() + 1: end.start() if end else len(text)]
        if indent:
            body = re.sub(rf"(?m)^[ \t]{{0,{indent}}}", "", body)
        blocks.append((tag, body))
        if not end:
            return blocks
        position = end.end()


def parses(code: str) -> bool:
    try:
        ast.parse(code)
        return True
    except UNPARSABLE:
        return False


def defines(code: str, name: str) -> bool:
    """The module binds `name` at top level: a def, or an assignment such as `name = make_handler()`."""
    try:
        return bool(_definitions(ast.parse(code), name))
    except UNPARSABLE:
        return False


def _definitions(tree: ast.Module, name: str) -> list[ast.stmt]:
    """Top-level statements (also inside a top-level if/try/with) that define `name`; imports do not count,
    since a test block's `from solution import name` defines nothing."""
    found = []
    for node in _top_level(tree.body):
        if isinstance(node, (*FUNCTIONS, ast.ClassDef)) and node.name == name:
            found.append(node)
        targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(
            node, ast.AnnAssign) else []
        if any(isinstance(t, ast.Name) and t.id == name for t in targets):
            found.append(node)
    return found


def _top_level(body: list[ast.stmt]):
    for node in body:
        yield node
        if isinstance(node, (ast.If, ast.Try, ast.With)):
            for part in ("body", "orelse", "finalbody"):
                yield from _top_level(getattr(node, part, []))
            for handler in getattr(node, "handlers", []):
                yield from _top_level(handler.body)


class _ImportTime(ast.NodeVisitor):
    """Names a statement loads, stores and calls when it runs at import (function bodies run later)."""

    def __init__(self) -> None:
        self.loads: set[str] = set()
        self.stores: set[str] = set()
        self.calls: set[str] = set()

    def visit_Name(self, node: ast.Name) -> None:
        (self.loads if isinstance(node.ctx, ast.Load) else self.stores).add(node.id)

    def visit_Call(self, node: ast.Call) -> None:
        if isinstance(node.func, ast.Name):
            self.calls.add(node.func.id)
        self.generic_visit(node)

    def _signature(self, node: ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda) -> None:
        for expr in [*getattr(node, "decorator_list", []), *node.args.defaults, *node.args.kw_defaults]:
            if expr is not None:
                self.visit(expr)

    def visit_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        self.stores.add(node.name)
        self._signature(node)

    visit_AsyncFunctionDef = visit_FunctionDef
    visit_Lambda = _signature

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        self.stores.add(node.name)
        self.generic_visit(node)

    def visit_Import(self, node: ast.Import | ast.ImportFrom) -> None:
        self.stores.update((a.asname or a.name).split(".")[0] for a in node.names)

    visit_ImportFrom = visit_Import

    def visit_ExceptHandler(self, node: ast.ExceptHandler) -> None:
        if node.name:
            self.stores.add(node.name)
        self.generic_visit(node)


def _scopes(node: ast.stmt) -> tuple[frozenset[str], frozenset[str]]:
    """(module-level names the statement binds, global names it reads now or later in function bodies)."""
    try:
        table = symtable.symtable(ast.unparse(node), "answer", "exec")
    except UNPARSABLE:
        seen = _ImportTime()
        seen.visit(node)
        return frozenset(seen.stores), frozenset(seen.loads)
    binds, reads, tables = set(), set(), [table]
    while tables:
        current = tables.pop()
        tables += current.get_children()
        for symbol in current.get_symbols():
            top = current.get_type() == "module"
            if (top and symbol.is_local()) or (symbol.is_declared_global() and symbol.is_assigned()):
                binds.add(symbol.get_name())
            if symbol.is_referenced() and (top or symbol.is_global()):
                reads.add(symbol.get_name())
    return frozenset(binds), frozenset(reads)


def _calls_anywhere(node: ast.AST) -> set[str]:
    """Names called anywhere inside `node`, function bodies included (`f(...)` and `x.f(...)`)."""
    called = set()
    for inner in ast.walk(node):
        if isinstance(inner, ast.Call):
            func = inner.func
            called.add(func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else "")
    return called - {""}


def _is_main_guard(node: ast.stmt) -> bool:
    """`if __name__ == "__main__":` without an else: its body never runs when the solution is imported."""
    if not isinstance(node, ast.If) or node.orelse or not isinstance(node.test, ast.Compare):
        return False
    sides = [node.test.left, *node.test.comparators]
    return (len(sides) == 2 and isinstance(node.test.ops[0], ast.Eq)
            and {ast.dump(s) for s in sides} == {ast.dump(ast.Name("__name__", ast.Load())),
                                                 ast.dump(ast.Constant("__main__"))})


@dataclass(frozen=True, eq=False)
class Statement:
    """One top-level statement of a block, with what it binds, reads and runs at import."""

    block: int
    node: ast.stmt
    first: int            # its lines in the block, decorators included: [first, last), 0-based
    last: int
    binds: frozenset[str]
    reads: frozenset[str]
    runs: frozenset[str]   # names evaluated at import that the statement does not bind itself
    calls: frozenset[str]  # names called at import
    shares_line: bool      # another statement on one of its lines (`a = 1; f(a)`): never dropped alone

    @property
    def kind(self) -> str:
        if isinstance(self.node, DEFINITIONS):
            return "definition"
        return "guard" if _is_main_guard(self.node) else "code"


def _statements(index: int, tree: ast.Module) -> tuple[Statement, ...]:
    spans = [(min([n.lineno, *[d.lineno for d in getattr(n, "decorator_list", [])]]) - 1, n.end_lineno or n.lineno)
             for n in tree.body]
    out = []
    for number, (node, (first, last)) in enumerate(zip(tree.body, spans)):
        seen = _ImportTime()
        if not _is_main_guard(node):
            seen.visit(node)
        binds, reads = _scopes(node)
        shared = any(f < last and first < l for j, (f, l) in enumerate(spans) if j != number)
        out.append(Statement(index, node, first, last, binds, reads, frozenset(seen.loads - seen.stores),
                             frozenset(seen.calls), shared))
    return tuple(out)


@dataclass(frozen=True, eq=False)
class Block:
    index: int
    text: str
    tree: ast.Module

    @cached_property
    def statements(self) -> tuple[Statement, ...]:
        return _statements(self.index, self.tree)

    @cached_property
    def binds(self) -> frozenset[str]:
        return frozenset().union(*(s.binds for s in self.statements))

    def calls(self, entry: str) -> bool:
        """Calls the entry anywhere outside its own definitions: a usage example, a test or a benchmark."""
        own = _definitions(self.tree, entry)
        return any(entry in _calls_anywhere(s.node) for s in self.statements if s.node not in own)

    def elides(self, entry: str) -> bool:
        """The entry's last definition here is a stub or an excerpt (`...` standing for code left out)."""
        last = _definitions(self.tree, entry)[-1]
        if not isinstance(last, FUNCTIONS):
            return False
        body = [s for s in last.body if not (isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant)
                                             and isinstance(s.value.value, str))]
        stub = all(isinstance(s, ast.Pass) or _is_ellipsis(s) or (isinstance(s, ast.Raise) and "NotImplemented"
                   in ast.unparse(s)) for s in body)
        return stub or any(_is_ellipsis(s) for s in _own_statements(last))


def _is_ellipsis(node: ast.AST) -> bool:
    return isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) and node.value.value is Ellipsis


def _own_statements(function: ast.AST):
    """Statements inside a function, not inside the functions or classes it defines."""
    for child in ast.iter_child_nodes(function):
        if isinstance(child, ast.stmt):
            yield child
        if not isinstance(child, (*FUNCTIONS, ast.ClassDef, ast.Lambda)):
            yield from _own_statements(child)


def _bound(statements: list[Statement]) -> set[str]:
    return set().union(*(s.binds for s in statements)) | ALWAYS_BOUND


def _unbound_reads(statements: list[Statement]) -> set[str]:
    """Names the code reads (now or when its functions run) that nothing binds; a main guard never runs."""
    if _star_import(statements):
        return set()
    return set().union(*(s.reads for s in statements if s.kind != "guard")) - _bound(statements)


def _star_import(statements: list[Statement]) -> bool:
    return any(isinstance(s.node, ast.ImportFrom) and any(a.name == "*" for a in s.node.names) for s in statements)


def _tainted(statements: list[Statement], entry: str, bound: set[str], star: bool) -> set[str]:
    """Module functions that call the entry or read an unbound name, directly or through each other."""
    functions = {s.node.name: s for s in statements if isinstance(s.node, FUNCTIONS)}
    calls = {name: _calls_anywhere(s.node) for name, s in functions.items()}
    tainted: set[str] = set()
    while True:
        more = {name for name, s in functions.items() if name not in tainted and (
            entry in calls[name] or calls[name] & tainted or (not star and s.reads - bound))}
        if not more:
            return tainted
        tainted |= more


def without_examples(statements: list[Statement], entry: str) -> list[Statement]:
    """Rule 3: leave out top-level statements that run example code at import, unless the module needs them."""
    star = _star_import(statements)
    examples: set[Statement] = set()
    while True:
        kept = [s for s in statements if s not in examples]
        bound = _bound(kept)
        tainted = _tainted(kept, entry, bound, star)
        fed = set().union(*(s.reads for s in examples))   # names the examples read: their set-up binds them
        readers = Counter(name for s in kept if s.kind != "guard" for name in s.reads)
        found = {s for s in kept if s.kind == "code" and not s.shares_line and (
            entry in s.calls or s.calls & tainted or (not star and s.runs - bound)
            or (s.binds & fed and not any(readers[n] > (n in s.reads) for n in s.binds)))}
        if not found:
            break
        examples |= found
    while True:
        kept = [s for s in statements if s not in examples]
        needed = set().union(*(s.reads for s in kept if s.kind != "guard"))
        back = {s for s in examples if s.binds & needed or entry in s.binds}
        if not back:
            return kept
        examples -= back


@dataclass(frozen=True)
class Module:
    code: str
    complete: bool


def _assemble(primary: Block, blocks: list[Block], entry: str) -> Module:
    """Rules 2 and 3: the primary block, the helper blocks it needs, less example statements."""
    chosen = [primary]
    helpers = [b for b in blocks if b is not primary and not b.calls(entry)]
    while True:
        kept = _kept(chosen, primary, entry)
        missing = _unbound_reads(kept)
        helper = next((b for b in reversed(helpers) if b not in chosen and b.binds & missing), None)
        if helper is None:
            break
        chosen.append(helper)
    code = _render(kept, chosen)
    return Module(code, not missing and not primary.elides(entry) and _compile_error(code) is None)


def _kept(chosen: list[Block], primary: Block, entry: str) -> list[Statement]:
    statements = [s for block in sorted(chosen, key=lambda b: b.index) for s in block.statements
                  if block is primary or s.shares_line or not (s.binds and s.binds <= primary.binds)]
    return without_examples(statements, entry)


def _render(kept: list[Statement], chosen: list[Block]) -> str:
    """The chosen blocks in answer order, each with the lines of its left-out statements removed.

    `from __future__` imports of a later block move to the top, where Python requires them.
    """
    ordered = sorted(chosen, key=lambda b: b.index)
    hoisted = [s for s in kept if s.block != ordered[0].index and not s.shares_line
               and isinstance(s.node, ast.ImportFrom) and s.node.module == "__future__"]
    parts = ["\n".join(ast.get_source_segment(next(b.text for b in ordered if b.index == s.block), s.node) or ""
                       for s in hoisted)]
    for block in ordered:
        lines = block.text.splitlines()
        kept_lines = {i for s in block.statements if s in kept for i in range(s.first, s.last)}
        dropped = {i for s in hoisted if s.block == block.index for i in range(s.first, s.last)}
        for statement in (s for s in block.statements if s not in kept):
            first = statement.first   # with the comment lines right above it ("# Example usage")
            while first > 0 and first - 1 not in kept_lines and lines[first - 1].lstrip().startswith("#"):
                first -= 1
            dropped.update(range(first, statement.last))
        parts.append("\n".join(line for i, line in enumerate(lines) if i not in dropped).strip("\n"))
    return "\n\n".join(p for p in parts if p.strip()).rstrip() + "\n"


def _choose(texts: list[str], entry: str) -> Module | None:
    """Rule 1: the last complete definition of the entry, else the last definition."""
    blocks = []
    for index, text in enumerate(texts):
        try:
            blocks.append(Block(index, text, ast.parse(text)))
        except UNPARSABLE:
            continue
    defining = [b for b in reversed(blocks) if _definitions(b.tree, entry)]
    last = None
    try:
        for block in defining:
            module = _assemble(block, blocks, entry)
            if module.complete:
                return module
            last = last or module
    except (RecursionError, MemoryError):   # too deeply nested to analyse (nor, mostly, to compile): as written
        return Module(defining[0].text.strip("\n") + "\n", False)
    return last


def _bare_code(text: str) -> str | None:
    """Code without fences: the longest run from a code-like first line that parses."""
    lines = text.splitlines()
    starts = [i for i, line in enumerate(lines) if CODE_START.match(line)]
    for start in starts:
        for end in range(len(lines), start, -1):
            chunk = "\n".join(lines[start:end]).strip()
            if chunk and parses(chunk):
                return chunk
    return None


def extract(text: str, entry: str) -> Extraction:
    """The module that defines `entry`, by the rules in this module's docstring."""
    blocks = [body for tag, body in fenced_blocks(text) if tag in PYTHON_TAGS]
    if blocks:
        module = _choose(blocks, entry)
        if module is None:
            broken = [b for b in blocks if _mentions_def(b, entry)]
            if broken:
                return Extraction(broken[-1], "syntax_error", _syntax_detail(broken[-1]))
            return Extraction(None, "no_code", f"no code block defines {entry}()")
        return _checked(module.code)
    for code in (text, _bare_code(text)):
        module = _choose([code], entry) if code and parses(code) else None
        if module is not None:
            return _checked(module.code)
    if _mentions_def(text, entry):
        return Extraction(text, "syntax_error", _syntax_detail(text))
    return Extraction(None, "no_code", f"the answer has no code that defines {entry}()")


def _checked(code: str) -> Extraction:
    error = _compile_error(code)
    return Extraction(code, None) if error is None else Extraction(code, "syntax_error", error)


def _mentions_def(text: str, entry: str) -> bool:
    """The answer tries to define the entry function (so a parse failure is a syntax error, not no code)."""
    return re.search(rf"(\bdef\s+{re.escape(entry)}\s*\(|^{re.escape(entry)}\s*=)", text, re.MULTILINE) is not None


def _compile_error(code: str) -> str | None:
    """What compiling the module reports (ast.parse accepts some code that compile refuses, e.g. a top-level
    `await`); None when it compiles."""
    try:
        compile(code, "solution.py", "exec", dont_inherit=True)
    except (SyntaxError, ValueError, RecursionError, MemoryError) as exc:
        return f"line {getattr(exc, 'lineno', '?')}: {getattr(exc, 'msg', exc)}"
    return None


def _syntax_detail(code: str) -> str:
    return _compile_error(code) or ""
