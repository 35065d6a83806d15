"""Naive (the textbook counter upsert): one transaction per flush, and for every view an upsert of the page's
lifetime count and of its daily count, sent as two executemany calls."""
DAY = 86_400


def record_views(db, views):
    with db.transaction():
        db.executemany("UPDATE pages SET view_count = view_count + 1 WHERE id = ?", [[page] for page, _ in views])
        db.executemany("INSERT INTO page_daily_views (page_id, day, views) VALUES (?, ?, 1) "
                       "ON CONFLICT (page_id, day) DO UPDATE SET views = views + 1",
                       [[page, ts // DAY] for page, ts in views])
    return {"recorded": len(views)}
