"""Naive (the tutorial answer): load every post by the accounts the user follows, sort, slice by offset."""


def home_timeline(db, user_id, cursor=None, limit=20):
    following = [row[0] for row in db.execute("SELECT followee_id FROM follows WHERE follower_id = ?", [user_id])]
    if not following:
        return {"posts": [], "next_cursor": None}
    placeholders = ",".join("?" for _ in following)
    rows = db.execute(
        f"SELECT p.id, u.handle, p.body, p.created_at FROM posts p JOIN users u ON u.id = p.author_id "
        f"WHERE p.author_id IN ({placeholders})", following)
    posts = [{"id": pid, "author": handle, "body": body, "created_at": created_at}
             for pid, handle, body, created_at in rows]
    posts.sort(key=lambda p: (p["created_at"], p["id"]), reverse=True)
    offset = int(cursor) if cursor else 0
    page = posts[offset:offset + limit]
    next_cursor = str(offset + limit) if offset + limit < len(posts) else None
    return {"posts": page, "next_cursor": next_cursor}
