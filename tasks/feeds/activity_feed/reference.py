"""Reference: keyset pagination. The cursor is the last post's (created_at, id); one indexed query per page."""

TIMELINE = """
SELECT p.id, u.handle, p.body, p.created_at
FROM follows f
JOIN posts p ON p.author_id = f.followee_id
JOIN users u ON u.id = p.author_id
WHERE f.follower_id = ? {after}
ORDER BY p.created_at DESC, p.id DESC
LIMIT ?
"""


def home_timeline(db, user_id, cursor=None, limit=20):
    params = [user_id]
    after = ""
    if cursor:
        created_at, post_id = cursor.rsplit("|", 1)
        after = "AND (p.created_at, p.id) < (?, ?)"
        params += [created_at, int(post_id)]
    rows = db.execute(TIMELINE.format(after=after), params + [limit + 1])
    page = rows[:limit]
    posts = [{"id": pid, "author": handle, "body": body, "created_at": created_at}
             for pid, handle, body, created_at in page]
    next_cursor = f"{page[-1][3]}|{page[-1][0]}" if len(rows) > limit else None
    return {"posts": posts, "next_cursor": next_cursor}
