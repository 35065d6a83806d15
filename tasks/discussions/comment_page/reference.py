"""Reference: three queries per page, each bounded by the page and not by the post: the page of top-level
comments (LIMIT/OFFSET on the (post, parent, score, id) index), the reply counts of those 20 comments (counted
on the index, never sent), and their first three replies each (one LIMIT 3 per parent, joined by UNION ALL)."""
PER_PAGE = 20


def comment_page(db, post_id, page=1):
    rows = db.execute(
        "SELECT id, author, body, score, created_at FROM comments WHERE post_id = ? AND parent_id IS NULL "
        "ORDER BY score DESC, id LIMIT ? OFFSET ?", [post_id, PER_PAGE + 1, (page - 1) * PER_PAGE])
    has_next = len(rows) > PER_PAGE
    comments = [{"id": cid, "author": author, "body": body, "score": score, "created_at": created,
                 "reply_count": 0, "replies": []} for cid, author, body, score, created in rows[:PER_PAGE]]
    if comments:
        by_id = {c["id"]: c for c in comments}
        marks = ",".join("?" * len(by_id))
        for parent, count in db.execute(
                f"SELECT parent_id, count(*) FROM comments WHERE parent_id IN ({marks}) GROUP BY parent_id",
                list(by_id)):
            by_id[parent]["reply_count"] = count
        first_three = " UNION ALL ".join(
            ["SELECT * FROM (SELECT parent_id, id, author, body, created_at FROM comments WHERE parent_id = ? "
             "ORDER BY created_at, id LIMIT 3)"] * len(by_id))
        for parent, rid, author, body, created in db.execute(first_three, list(by_id)):
            by_id[parent]["replies"].append({"id": rid, "author": author, "body": body, "created_at": created})
    return {"comments": comments, "has_next": has_next}
