"""Naive (the query as the requirement reads): one WHERE actor_id = ? OR target_user_id = ?, newest first,
keyset-paginated. Correct; but an OR over two columns cannot walk one index in created_at order, so the
database collects every event of the user from both indexes and sorts them all before the LIMIT: the whole
history of the provisioning account, for every page."""
import json


def user_activity(db, user_id, cursor=None, per_page=50):
    where, params = "(actor_id = ? OR target_user_id = ?)", [user_id, user_id]
    if cursor is not None:
        created_at, event_id = json.loads(cursor)
        where += " AND (created_at < ? OR (created_at = ? AND id < ?))"
        params += [created_at, created_at, event_id]
    rows = db.execute(
        f"SELECT id, created_at, actor_id, target_user_id, action, ip FROM audit_events WHERE {where} "
        "ORDER BY created_at DESC, id DESC LIMIT ?", params + [per_page + 1])
    page = rows[:per_page]
    events = [{"id": r[0], "created_at": r[1], "actor_id": r[2], "target_user_id": r[3], "action": r[4],
               "ip": r[5]} for r in page]
    next_cursor = json.dumps([page[-1][1], page[-1][0]]) if len(rows) > per_page else None
    return {"events": events, "next_cursor": next_cursor}
