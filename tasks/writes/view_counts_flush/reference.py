"""Reference: add the flush up in memory first (a Counter per page and per page and day), then write one row
per counter that changed, with the increment: a hot page's thousands of views become one update."""
from collections import Counter

DAY = 86_400


def record_views(db, views):
    daily = Counter((page, ts // DAY) for page, ts in views)
    lifetime = Counter()
    for (page, _), count in daily.items():
        lifetime[page] += count
    with db.transaction():
        db.executemany("UPDATE pages SET view_count = view_count + ? WHERE id = ?",
                       [[count, page] for page, count in lifetime.items()])
        db.executemany("INSERT INTO page_daily_views (page_id, day, views) VALUES (?, ?, ?) "
                       "ON CONFLICT (page_id, day) DO UPDATE SET views = views + excluded.views",
                       [[page, day, count] for (page, day), count in daily.items()])
    return {"recorded": len(views)}
