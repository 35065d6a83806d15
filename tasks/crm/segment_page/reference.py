"""Reference: the page of customers first (the segment's name order comes from its index), then the view
filtered by exactly those customer ids, which the database pushes into the view's scan of orders: it
aggregates the page's orders only."""

EMPTY = (0, 0, None)


def segment_page(db, segment, page=1, per_page=50):
    rows = db.execute("SELECT id, name, email FROM customers WHERE segment = ? ORDER BY name, id LIMIT ? OFFSET ?",
                      [segment, per_page + 1, (page - 1) * per_page])
    has_next, rows = len(rows) > per_page, rows[:per_page]
    stats = {}
    if rows:
        marks = ",".join("?" * len(rows))
        stats = {r[0]: r[1:] for r in db.execute(
            "SELECT customer_id, orders_count, lifetime_value_cents, last_order_at FROM customer_stats "
            f"WHERE customer_id IN ({marks})", [r[0] for r in rows])}
    customers = []
    for cid, name, email in rows:
        count, value, last = stats.get(cid, EMPTY)
        customers.append({"id": cid, "name": name, "email": email, "orders_count": count,
                          "lifetime_value_cents": value, "last_order_at": last})
    return {"customers": customers, "has_next": has_next}
