"""Naive (the tutorial comment tree): load the post's comments, build the tree in memory, sort, and cut the
page out of it."""
PER_PAGE = 20


def comment_page(db, post_id, page=1):
    rows = db.execute("SELECT id, parent_id, author, body, score, created_at FROM comments WHERE post_id = ?",
                      [post_id])
    top, replies = [], {}
    for cid, parent, author, body, score, created in rows:
        if parent is None:
            top.append({"id": cid, "author": author, "body": body, "score": score, "created_at": created})
        else:
            replies.setdefault(parent, []).append({"id": cid, "author": author, "body": body, "created_at": created})
    top.sort(key=lambda c: (-c["score"], c["id"]))
    start = (page - 1) * PER_PAGE
    comments = []
    for comment in top[start:start + PER_PAGE]:
        mine = sorted(replies.get(comment["id"], []), key=lambda r: (r["created_at"], r["id"]))
        comments.append({**comment, "reply_count": len(mine), "replies": mine[:3]})
    return {"comments": comments, "has_next": len(top) > start + PER_PAGE}
