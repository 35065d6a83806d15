"""Naive (the tutorial answer): a case-insensitive LIKE on the name, which scans the whole table per keystroke."""


def autocomplete(db, q):
    rows = db.execute(
        "SELECT id, name FROM products WHERE LOWER(name) LIKE ? ORDER BY popularity DESC, id LIMIT 10",
        [q.strip().lower() + "%"],
    )
    return {"suggestions": [{"id": row[0], "name": row[1]} for row in rows]}
