"""Naive (the tutorial answer): for each row, validate it, look up its category and its SKU, and insert it:
three statements and a commit per row."""


def import_products(db, rows):
    imported, rejected = 0, []
    for row in rows:
        if not row["title"].strip():
            reason = "missing_title"
        elif row["price_cents"] <= 0:
            reason = "invalid_price"
        elif row["stock"] < 0:
            reason = "invalid_stock"
        elif not db.execute("SELECT 1 FROM categories WHERE id = ?", [row["category_id"]]):
            reason = "unknown_category"
        elif db.execute("SELECT 1 FROM products WHERE sku = ?", [row["sku"]]):
            reason = "duplicate_sku"
        else:
            reason = None
        if reason:
            rejected.append({"line": row["line"], "reason": reason})
            continue
        db.execute("INSERT INTO products (sku, title, category_id, price_cents, stock) VALUES (?, ?, ?, ?, ?)",
                   [row["sku"], row["title"], row["category_id"], row["price_cents"], row["stock"]])
        imported += 1
    return {"imported": imported, "rejected": rejected}
