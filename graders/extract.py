"""Find the solution code in a model's answer: fenced blocks, unclosed fences, or bare code amid prose.

One extractor, used by the grader and the scorer alike, with its cases kept as data in tests.
"""
import ast
import re
from dataclasses import dataclass

FENCE = re.compile(r"^[ \t]*(```+|~~~+)[ \t]*([\w+#.-]*)[^\n]*$", re.MULTILINE)
PYTHON_TAGS = {"", "python", "py", "python3", "py3", "ipython"}
CODE_START = re.compile(r"^(def |class |import |from |@|async def |[A-Za-z_][\w.]*\s*=|if __name__)")


@dataclass(frozen=True)
class Extraction:
    code: str | None
    problem: str | None     # None, "no_code" or "syntax_error"
    detail: str = ""


def fenced_blocks(text: str) -> list[tuple[str, str]]:
    """(language tag, body) of every fenced block; an unclosed last fence runs to the end of the text."""
    blocks, position = [], 0
    while True:
        opening = FENCE.search(text, position)
        if not opening:
            return blocks
        fence, tag = opening.group(1), opening.group(2).lower()
        closing = re.compile(r"^[ \t]*" + re.escape(fence[0]) + "{" + str(len(fence)) + r",}[ \t]*$", re.MULTILINE)
        end = closing.search(text, opening.end())
        body = text[opening.end() + 1: end.start() if end else len(text)]
        blocks.append((tag, body))
        if not end:
            return blocks
        position = end.end()


def parses(code: str) -> bool:
    try:
        ast.parse(code)
        return True
    except (SyntaxError, ValueError):
        return False


def defines(code: str, name: str) -> bool:
    """The module binds `name` at top level: a def, or an assignment such as `name = make_handler()`."""
    try:
        tree = ast.parse(code)
    except (SyntaxError, ValueError):
        return False
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name == name:
            return True
        targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(
            node, ast.AnnAssign) else []
        if any(isinstance(t, ast.Name) and t.id == name for t in targets):
            return True
    return False


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
    """The code that defines `entry`.

    Python blocks are joined in order (helpers in one block, the entry in another is common); when the join
    does not parse, the last block that defines the entry wins, then any parsing block that defines it.
    """
    blocks = [body for tag, body in fenced_blocks(text) if tag in PYTHON_TAGS]
    if blocks:
        candidates = ["\n\n".join(b.strip("\n") for b in blocks if parses(b))]
        candidates += [b for b in reversed(blocks) if defines(b, entry)]
        for code in candidates:
            if code.strip() and defines(code, entry):
                return Extraction(code.strip() + "\n", None)
        joined = "\n\n".join(blocks)
        if _mentions_def(joined, entry):
            return Extraction(joined, "syntax_error", _syntax_detail(joined))
        return Extraction(None, "no_code", f"no code block defines {entry}()")
    if parses(text) and defines(text, entry):
        return Extraction(text.strip() + "\n", None)
    bare = _bare_code(text)
    if bare and defines(bare, entry):
        return Extraction(bare + "\n", None)
    if _mentions_def(text, entry):
        return Extraction(text, "syntax_error", _syntax_detail(text))
    return Extraction(None, "no_code", f"the answer has no code that defines {entry}()")


def _mentions_def(text: str, entry: str) -> bool:
    """The answer tries to define the entry function (so a parse failure is a syntax error, not no code)."""
    return re.search(rf"(\bdef\s+{re.escape(entry)}\s*\(|^{re.escape(entry)}\s*=)", text, re.MULTILINE) is not None


def _syntax_detail(code: str) -> str:
    try:
        ast.parse(code)
    except SyntaxError as exc:
        return f"line {exc.lineno}: {exc.msg}"
    return ""
