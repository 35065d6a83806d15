"""Naive (the query as one says it): the store's orders WHERE date(created_at) = ?. Correct; but a function
applied to the indexed column hides the day from the index, so the database reads every order the store ever
had and computes date() on each: the giant store's whole two years, for every summary."""


def day_summary(db, store_id, day):
    rows = db.execute(
        "SELECT strftime('%H', created_at), COUNT(*), SUM(CASE WHEN status IN ('paid', 'fulfilled') "
        "THEN total_cents ELSE 0 END) FROM orders WHERE store_id = ? AND date(created_at) = ? GROUP BY 1",
        [store_id, day])
    by_hour = [0] * 24
    revenue = 0
    for hour, count, cents in rows:
        by_hour[int(hour)] = count
        revenue += cents
    return {"orders": sum(by_hour), "revenue_cents": revenue, "by_hour": by_hour}
