"""Reference: one transaction of a few statements whatever the order's size: read the stock of every line with
IN (...) queries, and when nothing is short, decrement all lines with one executemany and record the order
and its lines with one more."""
CHUNK = 5000  # values per IN (...) list and rows per executemany, well under the parameter limit


def place_order(db, order_id, customer_id, lines):
    skus = [line["sku"] for line in lines]
    with db.transaction():
        available = {}
        for start in range(0, len(skus), CHUNK):
            part = skus[start:start + CHUNK]
            available.update(db.execute(
                f"SELECT sku, available FROM inventory WHERE sku IN ({','.join('?' * len(part))})", part))
        short = [{"sku": line["sku"], "requested": line["quantity"], "available": available.get(line["sku"], 0)}
                 for line in lines if line["quantity"] > available.get(line["sku"], 0)]
        if short:
            return {"status": "insufficient_stock", "short": sorted(short, key=lambda s: s["sku"])}
        units = sum(line["quantity"] for line in lines)
        db.execute("INSERT INTO orders (id, customer_id, status, line_count, units) VALUES (?, ?, 'placed', ?, ?)",
                   [order_id, customer_id, len(lines), units])
        for start in range(0, len(lines), CHUNK):
            part = lines[start:start + CHUNK]
            db.executemany("UPDATE inventory SET available = available - ? WHERE sku = ?",
                           [[line["quantity"], line["sku"]] for line in part])
            db.executemany("INSERT INTO order_lines (order_id, sku, quantity) VALUES (?, ?, ?)",
                           [[order_id, line["sku"], line["quantity"]] for line in part])
    return {"status": "placed", "order_id": order_id, "lines": len(lines), "units": units}
