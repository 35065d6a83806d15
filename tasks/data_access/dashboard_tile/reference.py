"""Reference: complete days come from the daily_sales rollup (at most two years of rows), and only the two
partial days (today so far, and the same day last year up to the same time) are counted from `orders`
through the created_at index, so the work per view does not grow with the orders table."""

RANGES = ("today", "month_to_date", "year_to_date", "year_to_date_last_year")


def sales_tile(db, as_of):
    day = as_of[:10]
    month_start, year_start = day[:8] + "01", day[:5] + "01-01"
    last_year = str(int(day[:4]) - 1)
    ly_as_of, ly_day, ly_start = last_year + as_of[4:], last_year + day[4:], last_year + "-01-01"

    # Complete days before today, from the rollup.
    row = db.execute(
        "SELECT COALESCE(SUM(CASE WHEN day >= :m THEN orders END), 0), "
        "COALESCE(SUM(CASE WHEN day >= :m THEN revenue_cents END), 0), "
        "COALESCE(SUM(CASE WHEN day >= :y THEN orders END), 0), "
        "COALESCE(SUM(CASE WHEN day >= :y THEN revenue_cents END), 0), "
        "COALESCE(SUM(CASE WHEN day < :ly_day THEN orders END), 0), "
        "COALESCE(SUM(CASE WHEN day < :ly_day THEN revenue_cents END), 0) "
        "FROM daily_sales WHERE (day >= :ly AND day < :ly_day) OR (day >= :y AND day < :d)",
        {"m": month_start, "y": year_start, "ly": ly_start, "ly_day": ly_day, "d": day})[0]
    live_sql = ("SELECT COUNT(*), COALESCE(SUM(total_cents), 0) FROM orders "
                "WHERE created_at >= ? AND created_at < ? AND status != 'cancelled'")
    today = db.execute(live_sql, [day + " 00:00:00", as_of])[0]
    ly_today = db.execute(live_sql, [ly_day + " 00:00:00", ly_as_of])[0]

    def block(orders, revenue):
        return {"orders": orders, "revenue_cents": revenue}
    return {"today": block(*today),
            "month_to_date": block(row[0] + today[0], row[1] + today[1]),
            "year_to_date": block(row[2] + today[0], row[3] + today[1]),
            "year_to_date_last_year": block(row[4] + ly_today[0], row[5] + ly_today[1])}
