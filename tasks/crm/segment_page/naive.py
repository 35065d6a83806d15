"""Naive (one query, as any SQL tutorial would join a table and a view): customers LEFT JOIN customer_stats.
Correct; but the database cannot push a join condition into an aggregate view, so it computes the view for
every customer (every order of the company) before the page keeps 50 of them."""


def segment_page(db, segment, page=1, per_page=50):
    rows = db.execute(
        "SELECT c.id, c.name, c.email, COALESCE(s.orders_count, 0), COALESCE(s.lifetime_value_cents, 0), "
        "s.last_order_at FROM customers c LEFT JOIN customer_stats s ON s.customer_id = c.id "
        "WHERE c.segment = ? ORDER BY c.name, c.id LIMIT ? OFFSET ?", [segment, per_page + 1, (page - 1) * per_page])
    customers = [{"id": r[0], "name": r[1], "email": r[2], "orders_count": r[3], "lifetime_value_cents": r[4],
                  "last_order_at": r[5]} for r in rows[:per_page]]
    return {"customers": customers, "has_next": len(rows) > per_page}
