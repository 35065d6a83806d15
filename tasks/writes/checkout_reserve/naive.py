"""Naive (the tutorial answer): in one transaction, check each line's stock, then decrement each line and
insert it: three statements per line."""


def place_order(db, order_id, customer_id, lines):
    with db.transaction():
        short = []
        for line in lines:
            rows = db.execute("SELECT available FROM inventory WHERE sku = ?", [line["sku"]])
            available = rows[0][0] if rows else 0
            if line["quantity"] > available:
                short.append({"sku": line["sku"], "requested": line["quantity"], "available": available})
        if short:
            return {"status": "insufficient_stock", "short": sorted(short, key=lambda s: s["sku"])}
        units = 0
        for line in lines:
            db.execute("UPDATE inventory SET available = available - ? WHERE sku = ?", [line["quantity"], line["sku"]])
            units += line["quantity"]
        db.execute("INSERT INTO orders (id, customer_id, status, line_count, units) VALUES (?, ?, 'placed', ?, ?)",
                   [order_id, customer_id, len(lines), units])
        for line in lines:
            db.execute("INSERT INTO order_lines (order_id, sku, quantity) VALUES (?, ?, ?)",
                       [order_id, line["sku"], line["quantity"]])
    return {"status": "placed", "order_id": order_id, "lines": len(lines), "units": units}
