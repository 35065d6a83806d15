"""The one code extractor, checked against answer shapes kept as data (extract_cases.json)."""
import json
from pathlib import Path

import pytest

from scaleblind.graders.extract import extract, fenced_blocks

CASES = json.loads((Path(__file__).with_name("extract_cases.json")).read_text())


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_extraction(case):
    found = extract(case["text"], case["entry"])
    assert found.problem == case["problem"]
    if case["problem"] is None:
        compile(found.code, "solution.py", "exec")
        for snippet in case.get("contains", []):
            assert snippet in found.code
        for snippet in case.get("absent", []):
            assert snippet not in found.code
    else:
        assert found.code is None or case["problem"] == "syntax_error"


def test_fenced_blocks_keep_language_tags_and_order():
    blocks = fenced_blocks("```sql\nSELECT 1\n```\ntext\n```python\nx = 1\n```")
    assert blocks == [("sql", "SELECT 1\n"), ("python", "x = 1\n")]
