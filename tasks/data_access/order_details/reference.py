"""Reference: two queries per page whatever its size: the page of orders joined with their customers, then
every item of those orders (joined with the products) in one IN (...) query."""


def order_page(db, status, page=1, per_page=50):
    rows = db.execute(
        "SELECT o.id, o.created_at, o.status, o.total_cents, c.id, c.name, c.email "
        "FROM orders o JOIN customers c ON c.id = o.customer_id WHERE o.status = ? "
        "ORDER BY o.created_at DESC, o.id DESC LIMIT ? OFFSET ?",
        [status, per_page + 1, (page - 1) * per_page])
    has_next = len(rows) > per_page
    rows = rows[:per_page]
    orders = [{"id": oid, "created_at": created, "status": st, "total_cents": total,
               "customer": {"id": cid, "name": name, "email": email}, "items": []}
              for oid, created, st, total, cid, name, email in rows]
    if orders:
        by_id = {o["id"]: o for o in orders}
        marks = ",".join("?" * len(by_id))
        for order_id, sku, title, quantity, price in db.execute(
                "SELECT i.order_id, p.sku, p.title, i.quantity, i.unit_price_cents "
                f"FROM order_items i JOIN products p ON p.id = i.product_id WHERE i.order_id IN ({marks}) "
                "ORDER BY i.id", list(by_id)):
            by_id[order_id]["items"].append(
                {"sku": sku, "title": title, "quantity": quantity, "unit_price_cents": price})
    return {"orders": orders, "has_next": has_next}
