"""The one code extractor, checked against answer shapes kept as data (extract_cases.json) and its rules.

A case with `"runs": true` is also imported as the sandbox would (module `solution`, with a stand-in for the
solution-side `platform_client`): the extracted module must import without error and define the entry.
"""
import json
import sys
import types
from pathlib import Path

import pytest

from scaleblind.graders.extract import extract, fenced_blocks

CASES = json.loads((Path(__file__).with_name("extract_cases.json")).read_text())


@pytest.fixture
def platform_client(monkeypatch):
    stub = types.ModuleType("platform_client")
    for name in ("PlatformError", "RateLimited", "QueryCapExceeded", "BadRequest"):
        setattr(stub, name, type(name, (Exception,), {}))
    monkeypatch.setitem(sys.modules, "platform_client", stub)


def imported(code: str) -> dict:
    namespace = {"__name__": "solution"}
    exec(compile(code, "solution.py", "exec"), namespace)
    return namespace


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_extraction(case, platform_client):
    found = extract(case["text"], case["entry"])
    assert found.problem == case["problem"], found.detail
    if case["problem"] is None:
        compile(found.code, "solution.py", "exec")
        for snippet in case.get("contains", []):
            assert snippet in found.code
        for snippet in case.get("absent", []):
            assert snippet not in found.code
        if case.get("runs"):
            assert callable(imported(found.code)[case["entry"]])
    else:
        assert found.code is None or case["problem"] == "syntax_error"


def test_fenced_blocks_keep_language_tags_and_order():
    blocks = fenced_blocks("```sql\nSELECT 1\n```\ntext\n```python\nx = 1\n```")
    assert blocks == [("sql", "SELECT 1\n"), ("python", "x = 1\n")]


def fenced(*blocks: str) -> str:
    return "\n\nSome prose.\n\n".join(f"```python\n{b}\n```" for b in blocks)


def test_a_module_file_without_fences_loses_its_example_call_too():
    code = "def f(x):\n    return x\n\nprint(f(rows))\n"
    assert extract(code, "f").code == "def f(x):\n    return x\n"


def test_an_example_that_calls_the_entry_through_a_module_function_is_left_out():
    found = extract(fenced("def f(x):\n    return x\n\ndef demo():\n    return f(2)\n\nresult = demo()"), "f")
    assert "def demo" in found.code and "result = demo()" not in found.code


def test_example_lines_that_depend_on_a_left_out_line_go_too():
    found = extract(fenced("def f(x):\n    return x\n\nclient = connect()\nrows = client.rows()\nprint(len(rows))"),
                    "f")
    assert found.code == "def f(x):\n    return x\n"


def test_a_statement_on_a_shared_line_is_never_cut_apart():
    found = extract(fenced("def f(x):\n    return x\nn = 1; print(f(rows))"), "f")
    assert "n = 1; print(f(rows))" in found.code


def test_with_a_star_import_unknown_names_are_not_judged_undefined():
    found = extract(fenced("from math import *\n\ndef f(x):\n    return sqrt(x)\n\nTAU2 = tau * 2"), "f")
    assert "TAU2 = tau * 2" in found.code


def test_a_helper_block_never_replaces_the_primary_definition():
    """The helper block is needed for `scale`; its own older `f` must not shadow the chosen one."""
    text = fenced("def scale(x):\n    return 2 * x\n\ndef f(x):\n    return scale(x)",
                  "def f(x):\n    return scale(x) + 1")
    namespace = imported(extract(text, "f").code)
    assert namespace["f"](1) == 3


def test_a_test_block_is_never_added_even_when_it_defines_a_name_the_module_lacks():
    text = fenced("def f(db):\n    return Row(db)", "class Row:\n    pass\n\ndef test_f():\n    assert f(1)")
    found = extract(text, "f")
    assert "class Row" not in found.code and "def test_f" not in found.code


def test_incomplete_definitions_fall_back_to_the_last_one():
    """No block is complete (both read an unbound name): grade the last, so the real error shows."""
    found = extract(fenced("def f(x):\n    return a(x)", "def f(x):\n    return b(x)"), "f")
    assert "b(x)" in found.code and "a(x)" not in found.code


def test_an_import_of_the_entry_does_not_count_as_defining_it():
    text = fenced("def f(x):\n    return x", "from solution import f\n\ndef test_f():\n    assert f(1) == 1")
    assert extract(text, "f").code == "def f(x):\n    return x\n"
