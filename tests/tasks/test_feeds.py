"""Feeds tasks: the cursor is opaque to the comparison."""
from scaleblind.tasks.registry import get_task, task_module


def test_activity_feed_cursor_is_opaque():
    normalize = task_module(get_task("feeds/activity_feed"), "world").normalize
    assert normalize({"posts": [], "next_cursor": "2025-01-01T00:00:00Z|7"}) == \
        normalize({"posts": [], "next_cursor": "20"})
    assert normalize({"posts": [], "next_cursor": None}) != normalize({"posts": [], "next_cursor": "x"})
