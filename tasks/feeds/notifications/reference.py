"""Reference: the badge is one indexed COUNT, the list one JOIN with ORDER BY ... LIMIT: two queries per open."""

UNREAD = """
SELECT COUNT(*) FROM posts p JOIN reactions r ON r.post_id = p.id
WHERE p.author_id = ? AND r.created_at > ?
"""
LATEST = """
SELECT r.id, r.kind, u.handle, p.id, p.title, r.created_at
FROM posts p
JOIN reactions r ON r.post_id = p.id
JOIN users u ON u.id = r.actor_id
WHERE p.author_id = ?
ORDER BY r.created_at DESC, r.id DESC
LIMIT ?
"""


def notifications(db, user_id, limit=20):
    seen = db.execute("SELECT notifications_seen_at FROM users WHERE id = ?", [user_id])[0][0]
    unread = db.execute(UNREAD, [user_id, seen])[0][0]
    items = [{"id": rid, "kind": kind, "actor": handle, "post_id": post_id, "post_title": title,
              "created_at": created_at, "unread": created_at > seen}
             for rid, kind, handle, post_id, title, created_at in db.execute(LATEST, [user_id, limit])]
    return {"unread_count": unread, "items": items}
