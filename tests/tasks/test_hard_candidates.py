"""Hard-split candidates from the algorithmic, larger-scope, skew and read-only-database directions: what each
one's trap rests on (discrimination itself is tested for every task in test_every_task.py)."""
import tomllib

import pytest

from scaleblind.graders.driver import build_world, run_in_process
from scaleblind.tasks.registry import get_task, solution_path
from task_support import run_solution

CANDIDATES = ["messaging/inbox_previews", "pricing/checkout_quote", "audit/user_activity",
              "analytics/endpoint_latency", "analytics/store_day", "crm/segment_page",
              "permissions/folder_listing", "diffing/supplier_feed", "analytics/checkout_funnel",
              "search/product_mentions", "filters/ship_country_options"]
# Cheap enough to run the naive solution at launch in-process (the others are checked at demo by validate).
AGREE_AT_LAUNCH = ["messaging/inbox_previews", "pricing/checkout_quote", "audit/user_activity",
                   "analytics/endpoint_latency", "analytics/store_day", "crm/segment_page",
                   "permissions/folder_listing", "diffing/supplier_feed", "analytics/checkout_funnel",
                   "filters/ship_country_options"]


@pytest.mark.parametrize("task_id", CANDIDATES)
def test_candidate_is_marked_for_the_hard_split(task_id):
    raw = tomllib.loads((get_task(task_id).folder / "task.toml").read_text(encoding="utf-8"))
    assert raw.get("split") in ("hard", "candidate")   # which one: the real answers decide (tasks/README.md)


@pytest.mark.parametrize("task_id", AGREE_AT_LAUNCH)
def test_reference_and_naive_agree_at_launch(task_id):
    """The two solutions share no query; agreeing on thousands of rows checks the reference beyond demo."""
    spec = get_task(task_id)
    reference, _ = run_solution(spec, "launch", "reference")
    naive, _ = run_solution(spec, "launch", "naive", uncapped=True)
    assert reference == naive
    assert len(reference) == 1 or any(answer != reference[0] for answer in reference)


def test_folder_listing_contract_shows_the_helpers_the_naive_solution_copies():
    """The naive answer reuses the codebase's helpers verbatim: they must be the ones the prompt shows."""
    spec = get_task("permissions/folder_listing")
    naive = solution_path(spec, "naive").read_text(encoding="utf-8")
    helpers = naive[naive.index("def user_groups"):naive.index("# --- end of the existing helpers ---")].rstrip()
    assert helpers in spec.contract


def test_folder_listing_helper_costs_five_queries_per_document():
    spec = get_task("permissions/folder_listing")
    _, queries = run_solution(spec, "demo", "naive")
    _, reference_queries = run_solution(spec, "demo", "reference")
    assert max(reference_queries) <= 6 < max(queries) < 100


def test_checkout_funnel_reference_matches_the_definition_by_brute_force():
    spec = get_task("analytics/checkout_funnel")
    world = build_world(spec, spec.tier("launch"), 0)
    answers = run_in_process(spec, world)
    conn, day = world.platforms["db"].conn, 86_400
    for request, answer in zip(world.requests, answers):
        timelines: dict[int, list] = {}
        for user, ts, name in conn.execute("SELECT user_id, ts, name FROM events WHERE ts >= ? AND ts < ? "
                                           "ORDER BY ts", [request.args["start"], request.args["end"]]):
            timelines.setdefault(user, []).append((ts, name))
        purchased = sorted(u for u, events in timelines.items() if any(
            a[1] == "view" and b[1] == "cart" and c[1] == "purchase" and a[0] < b[0] < c[0] <= a[0] + day
            for a in events for b in events if a[0] < b[0] <= a[0] + day for c in events))
        assert answer["purchased_user_ids"] == purchased and answer["purchased"] == len(purchased) > 0


def test_product_mentions_reference_matches_a_substring_check_at_demo():
    spec = get_task("search/product_mentions")
    reference, _ = run_solution(spec, "demo", "reference")
    naive, _ = run_solution(spec, "demo", "naive")
    assert reference == naive
    assert sum(len(t["product_ids"]) for day in reference for t in day) >= 5


@pytest.mark.parametrize("task_id, table, column, heavy, launch_heavy", [
    ("messaging/inbox_previews", "messages", "conversation_id", 1, 3000),
    ("audit/user_activity", "audit_events", "actor_id", 1, 2400),
    ("analytics/endpoint_latency", "request_log", "account_id", 1, 3000),
    ("analytics/store_day", "orders", "store_id", 1, 3000),
    ("filters/ship_country_options", "orders", "store_id", 1, 3000),
])
def test_skew_is_modest_at_launch(task_id, table, column, heavy, launch_heavy):
    """The heavy key exists at launch but is not yet heavy: the naive solutions pass there, as the scale text
    says (growth's heavy-key sizes are checked by validate's verdicts)."""
    spec = get_task(task_id)
    conn = build_world(spec, spec.tier("launch"), 0).platforms["db"].conn
    count = conn.execute(f"SELECT COUNT(*) FROM {table} WHERE {column} = ?", [heavy]).fetchone()[0]
    assert 0.8 * launch_heavy <= count <= 1.2 * launch_heavy
