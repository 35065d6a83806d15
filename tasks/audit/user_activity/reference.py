"""Reference: the trail is the merge of two index ranges, the events the user did and the events done to
them. Each side is read newest first from its own index with its own LIMIT, and the union of the two short
lists is cut to the page: about 2 x per_page index entries, however long the user's history is."""
import json

COLUMNS = "id, created_at, actor_id, target_user_id, action, ip"


def user_activity(db, user_id, cursor=None, per_page=50):
    after, params = "", []
    if cursor is not None:
        created_at, event_id = json.loads(cursor)
        after = " AND created_at <= ? AND NOT (created_at = ? AND id >= ?)"
        params = [created_at, created_at, event_id]
    side = (f"SELECT * FROM (SELECT {COLUMNS} FROM audit_events WHERE {{column}} = ?{after} "
            "ORDER BY created_at DESC, id DESC LIMIT ?)")
    rows = db.execute(
        f"{side.format(column='actor_id')} UNION {side.format(column='target_user_id')} "
        "ORDER BY created_at DESC, id DESC LIMIT ?",
        [user_id, *params, per_page + 1, user_id, *params, per_page + 1, per_page + 1])
    page = rows[:per_page]
    events = [{"id": r[0], "created_at": r[1], "actor_id": r[2], "target_user_id": r[3], "action": r[4],
               "ip": r[5]} for r in page]
    next_cursor = json.dumps([page[-1][1], page[-1][0]]) if len(rows) > per_page else None
    return {"events": events, "next_cursor": next_cursor}
