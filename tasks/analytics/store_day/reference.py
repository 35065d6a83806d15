"""Reference: the day as a range of the timestamp strings, so the index on (store_id, created_at) reads only
that day's orders; one query groups them by hour."""
from datetime import date, timedelta


def day_summary(db, store_id, day):
    next_day = (date.fromisoformat(day) + timedelta(days=1)).isoformat()
    rows = db.execute(
        "SELECT substr(created_at, 12, 2), COUNT(*), SUM(CASE WHEN status IN ('paid', 'fulfilled') "
        "THEN total_cents ELSE 0 END) FROM orders WHERE store_id = ? AND created_at >= ? AND created_at < ? "
        "GROUP BY 1", [store_id, day, next_day])
    by_hour = [0] * 24
    revenue = 0
    for hour, count, cents in rows:
        by_hour[int(hour)] = count
        revenue += cents
    return {"orders": sum(by_hour), "revenue_cents": revenue, "by_hour": by_hour}
