"""Naive (the textbook count): one GROUP BY status over the workspace's tickets, then format."""
STATUSES = ["new", "open", "pending", "on_hold", "solved", "closed"]


def view_counts(db, workspace_id):
    counts = dict(db.execute("SELECT status, COUNT(*) FROM tickets WHERE workspace_id = ? GROUP BY status",
                             [workspace_id]))
    return {status: "999+" if counts.get(status, 0) > 999 else str(counts.get(status, 0)) for status in STATUSES}
