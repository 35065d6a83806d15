"""Reference: the database groups by day and category (one indexed range read over orders, items by the
order_id index, products by primary key) and returns one row per (day, category): at most 12 x 365 rows,
however many order lines the range holds."""


def daily_revenue(db, since, until):
    rows = db.execute(
        "SELECT substr(o.created_at, 1, 10) AS day, p.category, SUM(i.quantity * i.unit_price_cents) "
        "FROM orders o JOIN order_items i ON i.order_id = o.id JOIN products p ON p.id = i.product_id "
        "WHERE o.created_at >= ? AND o.created_at < ? AND o.status != 'cancelled' "
        "GROUP BY day, p.category ORDER BY day, p.category",
        [since, until])
    return [[day, category, revenue] for day, category, revenue in rows]
