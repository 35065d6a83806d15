"""Naive (the ORM-style answer): load the page of orders, then for each order its customer and its items,
and for each item its product: 1 + 2N + (items) queries per page (the N+1 problem)."""


def order_page(db, status, page=1, per_page=50):
    offset = (page - 1) * per_page
    orders = db.execute(
        "SELECT id, customer_id, created_at, status, total_cents FROM orders WHERE status = ? "
        "ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?", [status, per_page, offset])
    total = db.execute("SELECT COUNT(*) FROM orders WHERE status = ?", [status])[0][0]

    result = []
    for order_id, customer_id, created_at, order_status, total_cents in orders:
        customer = db.execute("SELECT id, name, email FROM customers WHERE id = ?", [customer_id])[0]
        items = []
        for product_id, quantity, unit_price in db.execute(
                "SELECT product_id, quantity, unit_price_cents FROM order_items WHERE order_id = ? ORDER BY id",
                [order_id]):
            sku, title = db.execute("SELECT sku, title FROM products WHERE id = ?", [product_id])[0]
            items.append({"sku": sku, "title": title, "quantity": quantity, "unit_price_cents": unit_price})
        result.append({"id": order_id, "created_at": created_at, "status": order_status,
                       "total_cents": total_cents,
                       "customer": {"id": customer[0], "name": customer[1], "email": customer[2]},
                       "items": items})
    return {"orders": result, "has_next": offset + per_page < total}
