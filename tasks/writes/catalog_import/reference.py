"""Reference: check the fields in Python, look up the file's categories and SKUs with a few IN (...) queries,
then insert every accepted row with one executemany, all in one transaction: a handful of statements and one
commit per upload, whatever its size."""
CHUNK = 5000  # values per IN (...) list, well under the parameter limit; rows per executemany

INSERT = "INSERT INTO products (sku, title, category_id, price_cents, stock) VALUES (?, ?, ?, ?, ?)"


def _existing(db, sql, values):
    found = set()
    values = sorted(set(values))
    for start in range(0, len(values), CHUNK):
        part = values[start:start + CHUNK]
        found.update(v for (v,) in db.execute(sql.format(",".join("?" * len(part))), part))
    return found


def field_problem(row):
    if not row["title"].strip(" "):
        return "missing_title"
    if row["price_cents"] <= 0:
        return "invalid_price"
    if row["stock"] < 0:
        return "invalid_stock"
    return None


def import_products(db, rows):
    with db.transaction():
        categories = _existing(db, "SELECT id FROM categories WHERE id IN ({})", [r["category_id"] for r in rows])
        taken = _existing(db, "SELECT sku FROM products WHERE sku IN ({})", [r["sku"] for r in rows])
        accepted, rejected = [], []
        for row in rows:
            reason = field_problem(row)
            if reason is None and row["category_id"] not in categories:
                reason = "unknown_category"
            if reason is None and row["sku"] in taken:
                reason = "duplicate_sku"
            if reason:
                rejected.append({"line": row["line"], "reason": reason})
                continue
            taken.add(row["sku"])
            accepted.append([row["sku"], row["title"], row["category_id"], row["price_cents"], row["stock"]])
        for start in range(0, len(accepted), CHUNK):
            db.executemany(INSERT, accepted[start:start + CHUNK])
    return {"imported": len(accepted), "rejected": rejected}
