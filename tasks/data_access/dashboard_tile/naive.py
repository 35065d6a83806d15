"""Naive (the textbook answer): one COUNT/SUM over the indexed created_at range per figure. Correct SQL, but
the year-to-date figures read a year of orders (twice) on every view of the dashboard."""
from datetime import datetime


def totals(db, start, end):
    count, revenue = db.execute(
        "SELECT COUNT(*), COALESCE(SUM(total_cents), 0) FROM orders "
        "WHERE created_at >= ? AND created_at < ? AND status != 'cancelled'", [start, end])[0]
    return {"orders": count, "revenue_cents": revenue}


def sales_tile(db, as_of):
    now = datetime.strptime(as_of, "%Y-%m-%d %H:%M:%S")
    fmt = "%Y-%m-%d %H:%M:%S"
    day_start = now.replace(hour=0, minute=0, second=0)
    month_start = day_start.replace(day=1)
    year_start = month_start.replace(month=1)
    last_year_now = now.replace(year=now.year - 1)
    last_year_start = year_start.replace(year=now.year - 1)
    return {
        "today": totals(db, day_start.strftime(fmt), as_of),
        "month_to_date": totals(db, month_start.strftime(fmt), as_of),
        "year_to_date": totals(db, year_start.strftime(fmt), as_of),
        "year_to_date_last_year": totals(db, last_year_start.strftime(fmt), last_year_now.strftime(fmt)),
    }
