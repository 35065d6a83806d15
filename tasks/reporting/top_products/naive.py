"""Naive (the tutorial answer): load the window's sales lines, add them up per product in a dict, sort every
product and keep the first `limit`."""


def top_products(db, since, until, by="net_sales", limit=10):
    rows = db.execute("SELECT * FROM sales_lines WHERE happened_at >= ? AND happened_at < ?", [since, until])
    totals = {}
    for row in rows:
        product_id, title, quantity, net = row[7], row[8], row[14], row[18]
        entry = totals.setdefault(product_id, {"product_id": product_id, "title": title, "units": 0,
                                               "net_sales_cents": 0})
        entry["units"] += quantity
        entry["net_sales_cents"] += net
    key = "units" if by == "units" else "net_sales_cents"
    ranked = sorted(totals.values(), key=lambda e: (-e[key], e["product_id"]))
    return ranked[:limit]
