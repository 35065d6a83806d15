"""Reference: the sidebar never shows more than 999, so count at most 1,000 tickets per status: each count is
a LIMIT 1000 subquery on the (workspace_id, status) range, all six in one query. The giant workspace's
hundreds of thousands of tickets are never read in full."""
STATUSES = ["new", "open", "pending", "on_hold", "solved", "closed"]


def view_counts(db, workspace_id):
    parts = " UNION ALL ".join(
        "SELECT ?, (SELECT COUNT(*) FROM (SELECT 1 FROM tickets WHERE workspace_id = ? AND status = ? LIMIT 1000))"
        for _ in STATUSES)
    params = [value for status in STATUSES for value in (status, workspace_id, status)]
    counts = dict(db.execute(parts, params))
    return {status: "999+" if counts[status] > 999 else str(counts[status]) for status in STATUSES}
