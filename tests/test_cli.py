"""The command-line contract: fields scripts rely on, one-line errors, exit codes."""
import json
import subprocess
import sys
from pathlib import Path

import pytest

from scaleblind.cli import main
from scaleblind.tasks.registry import get_task, solution_path

FACETED = "filters/faceted_catalog"


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_tasks_list_json_has_the_contract_fields(capsys):
    code, out, _ = run(capsys, "tasks", "list", "--json")
    rows = json.loads(out)
    assert code == 0 and rows
    for row in rows:
        assert {"id", "family", "tiers"} <= row.keys()
        assert {"demo", "launch", "growth"} <= row["tiers"].keys()
    assert FACETED in {row["id"] for row in rows}


@pytest.mark.parametrize("argv, fragment", [
    (["grade", "--task", "no/such", "--solution", __file__], "unknown task"),
    (["grade", "--task", FACETED, "--solution", "/no/such/file.py"], "no such solution file"),
    (["grade", "--task", FACETED, "--solution", __file__, "--tiers", "huge"], "has no tier"),
    (["tasks", "validate", "--task", "no/such", "--sandbox", "local"], "unknown task"),
])
def test_bad_input_is_one_line_and_exit_2(capsys, argv, fragment):
    code, _, err = run(capsys, *argv)
    lines = [line for line in err.splitlines() if line.startswith("scaleblind: error:")]
    assert code == 2 and len(lines) == 1 and fragment in lines[0]
    assert "Traceback" not in err


def test_grade_json_gives_the_verdict_fields(capsys, tmp_path: Path):
    answer = tmp_path / "answer.md"
    answer.write_text("Here is my solution.\n\n```python\n"
                      + solution_path(get_task(FACETED), "naive").read_text() + "```\n")
    code, out, err = run(capsys, "grade", "--task", FACETED, "--solution", str(answer), "--sandbox", "local",
                         "--json", "--tiers", "demo,launch")
    verdict = json.loads(out)
    assert code == 0
    assert {"scale_correct", "correct_at_demo", "highest_tier_passed", "failure", "tiers", "growth"} <= verdict.keys()
    assert verdict["correct_at_demo"] and not verdict["scale_correct"]
    assert verdict["failure"] == "over_latency" and verdict["highest_tier_passed"] == "demo"
    assert "not isolated" in err


def test_grade_draws_a_fresh_seed_and_prints_it_and_seed_fixes_it(capsys):
    naive = str(solution_path(get_task(FACETED), "naive"))
    seeds = []
    for _ in range(2):
        code, out, _ = run(capsys, "grade", "--task", FACETED, "--solution", naive, "--sandbox", "local",
                           "--tiers", "demo")
        seeds.append(int(out.splitlines()[-1].split()[1]))
        assert code == 0 and out.splitlines()[-1] == f"seed {seeds[-1]} (regrade these worlds with --seed {seeds[-1]})"
    assert seeds[0] != seeds[1]
    code, out, _ = run(capsys, "grade", "--task", FACETED, "--solution", naive, "--sandbox", "local", "--tiers",
                       "demo", "--seed", "5", "--json")
    assert code == 0 and json.loads(out)["seed"] == 5


def test_no_code_and_syntax_error_are_verdicts_not_crashes(capsys, tmp_path: Path):
    prose = tmp_path / "prose.md"
    prose.write_text("I would paginate and cache.")
    broken = tmp_path / "broken.py"
    broken.write_text("def filter_products(api, filters:\n    return 1\n")
    for path, failure in ((prose, "no_code"), (broken, "syntax_error")):
        code, out, _ = run(capsys, "grade", "--task", FACETED, "--solution", str(path), "--sandbox", "local", "--json")
        assert code == 0 and json.loads(out)["failure"] == failure


def test_console_script_is_installed():
    result = subprocess.run([str(Path(sys.executable).with_name("scaleblind")), "tasks", "list"],
                            capture_output=True, text=True)
    assert result.returncode == 0 and FACETED in result.stdout
