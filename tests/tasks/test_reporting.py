"""Reporting tasks: answers agree between the two solutions beyond demo, and ties break as the contract says."""
import pytest

from scaleblind.tasks.registry import get_task, task_module
from task_support import count_rows, run_solution

REPORTING = ["reporting/daily_revenue", "reporting/top_products"]
DOMINANT = {"reporting/daily_revenue": "orders", "reporting/top_products": "sales_lines"}


@pytest.mark.parametrize("task_id", REPORTING)
def test_demo_size_is_the_dominant_table(task_id):
    assert count_rows(task_id, "demo", DOMINANT[task_id]) == get_task(task_id).tier("demo").size


@pytest.mark.parametrize("task_id", REPORTING)
def test_reference_and_naive_agree_at_launch(task_id):
    """The two solutions share no code; agreeing on thousands of rows checks the reference beyond demo."""
    spec = get_task(task_id)
    reference, _ = run_solution(spec, "launch", "reference")
    naive, _ = run_solution(spec, "launch", "naive")
    assert reference == naive
    assert all(reference) and any(answer != reference[0] for answer in reference)


def test_top_products_ties_break_by_product_id():
    spec = get_task("reporting/top_products")
    answers, _ = run_solution(spec, "launch", "reference")
    world = task_module(spec, "world").build(spec, spec.tier("launch"), 0)
    for request, answer in zip(world.requests, answers):
        key = "units" if request.args["by"] == "units" else "net_sales_cents"
        ranks = [(-row[key], row["product_id"]) for row in answer]
        assert ranks == sorted(ranks) and len(answer) <= request.args["limit"]
