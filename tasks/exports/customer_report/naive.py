"""Naive (the tutorial answer): load the customers and all their orders, add the numbers up in Python."""
import csv


def export_customer_report(db, out, country=None):
    if country:
        customers = db.execute("SELECT id, name, email, country FROM customers WHERE country = ? ORDER BY id",
                               [country])
    else:
        customers = db.execute("SELECT id, name, email, country FROM customers ORDER BY id")
    orders = db.execute("SELECT customer_id, status, total_cents, placed_at FROM orders")

    stats = {}
    for customer_id, status, total_cents, placed_at in orders:
        if status != "paid":
            continue
        s = stats.setdefault(customer_id, {"orders": 0, "cents": 0, "last": ""})
        s["orders"] += 1
        s["cents"] += total_cents
        s["last"] = max(s["last"], placed_at)

    writer = csv.writer(out)
    writer.writerow(["customer_id", "name", "email", "country", "paid_orders", "lifetime_value", "last_order_at"])
    for customer_id, name, email, ctry in customers:
        s = stats.get(customer_id, {"orders": 0, "cents": 0, "last": ""})
        writer.writerow([customer_id, name, email, ctry, s["orders"], f"{s['cents'] / 100:.2f}", s["last"]])
    return len(customers)
