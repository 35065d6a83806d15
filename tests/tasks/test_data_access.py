"""Data-access tasks: the order list's query counts, page shape and the dashboard's summary table (discrimination
itself is tested for every task in test_every_task.py)."""
import pytest

from scaleblind.tasks.registry import get_task, task_module
from task_support import count_rows, run_solution

DATA_ACCESS = ["data_access/order_details", "data_access/dashboard_tile"]


@pytest.mark.parametrize("task_id", DATA_ACCESS)
def test_demo_size_is_the_number_of_orders(task_id):
    assert count_rows(task_id, "demo", "orders") == get_task(task_id).tier("demo").size


@pytest.mark.parametrize("task_id", DATA_ACCESS)
def test_reference_and_naive_agree_at_launch(task_id):
    """The two solutions share no code; agreeing on thousands of rows checks the reference beyond demo."""
    spec = get_task(task_id)
    reference, _ = run_solution(spec, "launch", "reference")
    naive, _ = run_solution(spec, "launch", "naive", uncapped=True)
    assert reference == naive
    assert any(answer != reference[0] for answer in reference)  # the requests are not all alike


def test_order_list_demo_stays_under_the_cap_and_launch_does_not():
    spec = get_task("data_access/order_details")
    assert spec.platform["db"]["max_queries_per_request"] == 100
    for seed in range(5):
        _, queries = run_solution(spec, "demo", "naive", seed)
        assert max(queries) < 80, (seed, queries)
    _, reference_queries = run_solution(spec, "demo", "reference")
    assert max(reference_queries) <= 2


def test_order_list_pages_are_full_at_launch():
    spec = get_task("data_access/order_details")
    answers, queries = run_solution(spec, "launch", "reference")
    assert max(queries) <= 2
    assert any(len(answer["orders"]) == 50 and answer["has_next"] for answer in answers)


def test_daily_sales_rollup_matches_the_orders():
    spec = get_task("data_access/dashboard_tile")
    world = task_module(spec, "world").build(spec, spec.tier("launch"), 0)
    conn = world.platforms["db"].conn
    last_day = conn.execute("SELECT substr(MAX(created_at), 1, 10) FROM orders").fetchone()[0]
    live = conn.execute("SELECT substr(created_at, 1, 10), COUNT(*), SUM(total_cents) FROM orders "
                        "WHERE status != 'cancelled' AND created_at < ? GROUP BY 1 ORDER BY 1", [last_day]).fetchall()
    assert conn.execute("SELECT day, orders, revenue_cents FROM daily_sales ORDER BY day").fetchall() == live
    assert conn.execute("SELECT COUNT(*) FROM daily_sales WHERE day >= ?", [last_day]).fetchone()[0] == 0
