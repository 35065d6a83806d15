"""Every message from the solution is untrusted input: what one may hold, checked before the driver uses it.

The solution writes newline-delimited JSON; the driver parses at most MAX_MESSAGE_BYTES a line, then checks
the decoded message here: a JSON object, nested at most MAX_DEPTH levels, strings that are valid Unicode (no
lone surrogates), and known fields of the right type. A bad platform call becomes the platform's 400; a bad
answer or a broken protocol becomes the solution's `crash`. Standard library only (runs in the sandbox).
"""
import re
from typing import Any

MAX_MESSAGE_BYTES = 64 * 1024 * 1024
MAX_DEPTH = 64
INT64 = 2 ** 63
SCALARS = (str, int, float, bool, type(None))
# Field name -> the JSON types it may have, wherever it appears at the top of a message.
FIELD_TYPES: dict[str, tuple[type, ...]] = {
    "op": (str,), "client": (str,), "method": (str,), "kwargs": (dict,), "args": (list,), "sql": (str,),
    "params": (list, dict), "cursor": (int,), "size": (int,), "data": (str,), "ms": (int, float),
    "kind": (str,), "type": (str,), "message": (str,),
}
SURROGATE = re.compile("[\ud800-\udfff]")


def problem(message: Any) -> str | None:
    """Why a decoded message cannot be used, or None when it can."""
    if not isinstance(message, dict):
        return "a message must be a JSON object"
    for field, kinds in FIELD_TYPES.items():
        if field in message and (not isinstance(message[field], kinds) or isinstance(message[field], bool)):
            return f"{field!r} must be {' or '.join(JSON_NAMES[k] for k in kinds)}"
    params = message.get("params", [])
    values = params.values() if isinstance(params, dict) else params
    if not all(isinstance(v, SCALARS) and not (isinstance(v, int) and not -INT64 <= v < INT64) for v in values):
        return "'params' may hold only strings, numbers (64-bit integers), booleans and null"
    return shape_problem(message)


def shape_problem(value: Any) -> str | None:
    """Depth and strings, by an explicit stack (no recursion): linear in the size of the value."""
    stack = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, str):
            if not item.isascii() and SURROGATE.search(item):
                return "a string holds an unpaired surrogate (not valid Unicode)"
        elif isinstance(item, (dict, list)):
            if depth >= MAX_DEPTH:
                return f"nested deeper than {MAX_DEPTH} levels"
            children = [*item.keys(), *item.values()] if isinstance(item, dict) else item
            stack.extend((child, depth + 1) for child in children if isinstance(child, (str, dict, list)))
    return None


JSON_NAMES = {str: "a string", int: "an integer", float: "a number", dict: "an object", list: "an array"}
