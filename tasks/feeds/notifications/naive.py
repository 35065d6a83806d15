"""Naive (the tutorial answer): walk the user's posts, load each post's reactions, then each actor."""


def notifications(db, user_id, limit=20):
    seen = db.execute("SELECT notifications_seen_at FROM users WHERE id = ?", [user_id])[0][0]
    posts = db.execute("SELECT id, title FROM posts WHERE author_id = ?", [user_id])

    events = []
    for post_id, title in posts:
        reactions = db.execute("SELECT id, actor_id, kind, created_at FROM reactions WHERE post_id = ?", [post_id])
        for reaction_id, actor_id, kind, created_at in reactions:
            events.append({"id": reaction_id, "actor_id": actor_id, "kind": kind, "post_id": post_id,
                           "post_title": title, "created_at": created_at})

    unread_count = sum(1 for e in events if e["created_at"] > seen)
    events.sort(key=lambda e: (e["created_at"], e["id"]), reverse=True)

    items = []
    for e in events[:limit]:
        handle = db.execute("SELECT handle FROM users WHERE id = ?", [e["actor_id"]])[0][0]
        items.append({"id": e["id"], "kind": e["kind"], "actor": handle, "post_id": e["post_id"],
                      "post_title": e["post_title"], "created_at": e["created_at"],
                      "unread": e["created_at"] > seen})
    return {"unread_count": unread_count, "items": items}
