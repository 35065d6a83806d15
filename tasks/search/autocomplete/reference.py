"""Reference: one index range seek on the normalised name column; only the matching range is read."""

SQL = ("SELECT id, name FROM products WHERE name_norm >= ? AND name_norm < ? "
       "ORDER BY popularity DESC, id LIMIT 10")


def autocomplete(db, q):
    prefix = q.strip().lower()
    rows = db.execute(SQL, [prefix, prefix + "\uffff"])
    return {"suggestions": [{"id": pid, "name": name} for pid, name in rows]}
