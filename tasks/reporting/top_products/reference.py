"""Reference: the database aggregates the window per product, orders by the metric and keeps `limit` rows;
only those rows (with their titles) reach the process, so memory stays flat whatever the window holds."""


def top_products(db, since, until, by="net_sales", limit=10):
    metric = "units" if by == "units" else "net"
    rows = db.execute(
        "SELECT t.product_id, p.title, t.units, t.net FROM ("
        "  SELECT product_id, SUM(quantity) AS units, SUM(net_sales_cents) AS net FROM sales_lines"
        "  WHERE happened_at >= ? AND happened_at < ? GROUP BY product_id"
        f"  ORDER BY {metric} DESC, product_id LIMIT ?) AS t "
        f"JOIN products p ON p.id = t.product_id ORDER BY t.{metric} DESC, t.product_id",
        [since, until, limit])
    return [{"product_id": pid, "title": title, "units": units, "net_sales_cents": net}
            for pid, title, units, net in rows]
