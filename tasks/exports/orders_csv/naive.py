"""Naive (the tutorial answer): fetch all matching orders, build the CSV in memory, upload it in one go."""
import csv
import io


def export_orders(db, out, since, until):
    rows = db.execute(
        "SELECT o.id, o.placed_at, o.status, c.name, c.email, c.country, o.billing_address, o.items, "
        "o.total_cents, o.currency "
        "FROM orders o JOIN customers c ON c.id = o.customer_id "
        "WHERE o.placed_at >= ? AND o.placed_at < ? ORDER BY o.id", [since, until])

    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["order_id", "placed_at", "status", "customer_name", "customer_email", "country",
                     "billing_address", "items", "total", "currency"])
    for row in rows:
        order_id, placed_at, status, name, email, country, address, items, total_cents, currency = row
        writer.writerow([order_id, placed_at, status, name, email, country, address, items,
                         f"{total_cents / 100:.2f}", currency])

    out.write(buffer.getvalue())
    return len(rows)
