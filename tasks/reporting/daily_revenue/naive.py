"""Naive (the tutorial answer): fetch every order line of the range with its date and category, then add
them up per (day, category) in a dict."""
from collections import defaultdict


def daily_revenue(db, since, until):
    rows = db.execute(
        "SELECT o.created_at, p.category, i.quantity, i.unit_price_cents "
        "FROM orders o JOIN order_items i ON i.order_id = o.id JOIN products p ON p.id = i.product_id "
        "WHERE o.created_at >= ? AND o.created_at < ? AND o.status != 'cancelled'",
        [since, until])
    totals = defaultdict(int)
    for created_at, category, quantity, unit_price in rows:
        totals[(created_at[:10], category)] += quantity * unit_price
    return [[day, category, revenue] for (day, category), revenue in sorted(totals.items())]
