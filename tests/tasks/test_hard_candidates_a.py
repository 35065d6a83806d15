"""Hard-split candidates from the write-path, skew and worker-state directions (set A): what each one's trap
rests on (discrimination itself is tested for every task in test_every_task.py)."""
import tomllib

import pytest

from scaleblind.graders.driver import build_world, run_in_process
from scaleblind.platforms.world import Request
from scaleblind.tasks.registry import get_task
from task_support import run_solution

CANDIDATES = ["social/followed_by", "helpdesk/view_counts", "playlists/reorder_track", "writes/view_counts_flush",
              "billing/merchant_balance"]
# Cheap enough to run the naive solution at launch in-process (validate checks them all at demo).
AGREE_AT_LAUNCH = ["social/followed_by", "helpdesk/view_counts", "playlists/reorder_track", "writes/view_counts_flush",
                   "billing/merchant_balance"]


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
    assert any(answer != reference[0] for answer in reference)


def test_followed_by_matches_a_set_intersection_and_finds_common_accounts():
    spec = get_task("social/followed_by")
    world = build_world(spec, spec.tier("launch"), 0)
    answers = run_in_process(spec, world)
    conn = world.platforms["db"].conn
    handles = dict(conn.execute("SELECT id, handle FROM users"))
    for request, answer in zip(world.requests, answers):
        viewer, profile = request.args["viewer_id"], request.args["profile_id"]
        mine = {a for (a,) in conn.execute("SELECT followee_id FROM follows WHERE follower_id = ?", [viewer])}
        theirs = {a for (a,) in conn.execute("SELECT follower_id FROM follows WHERE followee_id = ?", [profile])}
        common = sorted(handles[a] for a in mine & theirs)
        assert answer == {"count": len(common), "handles": common[:3]}
    assert sum(answer["count"] >= 3 for answer in answers) >= 6


def test_followed_by_celebrity_is_followed_by_most_users_only_at_growth():
    spec = get_task("social/followed_by")
    for tier, low, high in (("launch", 0.15, 0.22), ("growth", 0.80, 0.87)):
        conn = build_world(spec, spec.tier(tier), 0).platforms["db"].conn
        followers = conn.execute("SELECT COUNT(*) FROM follows WHERE followee_id = 1").fetchone()[0]
        assert low * spec.tier(tier).size <= followers <= high * spec.tier(tier).size


def test_view_counts_shows_exact_and_capped_counts_at_launch():
    spec = get_task("helpdesk/view_counts")
    answers, _ = run_solution(spec, "launch", "reference")
    shown = [value for answer in answers for value in answer.values()]
    assert "999+" in shown and any(value not in ("0", "999+") for value in shown) and "0" in shown


def test_reorder_track_reference_renumbers_when_midpoints_run_out():
    """Sixty moves into the same gap (after the tracks at positions 0 and 1) halve it sixty times, past a
    double's precision: the reference must renumber once and still agree with the naive solution, which keeps
    positions 0, 1, 2, ..."""
    spec = get_task("playlists/reorder_track")
    answers, written = {}, {}
    for module in ("reference", "naive"):
        world = build_world(spec, spec.tier("demo"), 0)
        tracks = [t for (t,) in world.platforms["db"].conn.execute(
            "SELECT track_id FROM playlist_items WHERE playlist_id = 1 ORDER BY position")]
        world.requests = [Request({"playlist_id": 1, "track_id": tracks[-1 - i % 20], "to_index": 2})
                          for i in range(60)]
        answers[module] = run_in_process(spec, world, module)
        written[module] = world.platforms["db"].writes_total.rows_written
    assert answers["reference"] == answers["naive"]
    assert all(answer["db"]["order"][0][2] == 0 for answer in answers["reference"])  # positions stay distinct
    assert 60 + 40 <= written["reference"] < 60 + 2 * 40  # one move a row, and one renumbering of 40 tracks


def test_view_counts_flush_crosses_midnight_and_repeats_hot_pages():
    spec = get_task("writes/view_counts_flush")
    world = build_world(spec, spec.tier("launch"), 0)
    flushes = [request.args["views"] for request in world.requests]
    assert any(len({ts // 86_400 for _, ts in views}) == 2 for views in flushes)
    for views in flushes:
        pages = [page for page, _ in views]
        assert len(set(pages)) * 2 < len(pages) and pages.count(1) > len(pages) // 5


def test_merchant_balance_changes_between_asks_of_the_same_merchant():
    """New entries of the merchant about to be asked are written between requests: a balance kept without
    looking at the ledger again would be stale."""
    spec = get_task("billing/merchant_balance")
    world = build_world(spec, spec.tier("launch"), 0)
    answers = run_in_process(spec, world)
    seen: dict[int, list] = {}
    for request, answer in zip(world.requests, answers):
        seen.setdefault(request.args["merchant_id"], []).append(answer)
    assert any(len(set(map(str, asked))) > 1 for asked in seen.values())
    assert len(seen[1]) == spec.tier("launch").params["giant_requests"]
