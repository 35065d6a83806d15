"""Reference: the database filters, counts and pages; two queries returning at most 25 rows."""
WHERE = """
    FROM variants v JOIN products p ON p.id = v.product_id
    WHERE v.price BETWEEN ? AND ? AND v.inventory_quantity > 0 AND p.status = 'active'
"""


def filter_variants(db, price_min, price_max, page=1, per_page=24):
    params = [price_min, price_max]
    total = db.execute("SELECT COUNT(*)" + WHERE, params)[0][0]
    offset = (max(1, page) - 1) * per_page
    items = []
    if offset < total:
        rows = db.execute("SELECT v.id, v.product_id, v.sku, v.price" + WHERE + " ORDER BY v.price, v.id "
                          "LIMIT ? OFFSET ?", params + [per_page, offset])
        items = [{"id": i, "product_id": p, "sku": s, "price": c} for i, p, s, c in rows]
    return {"total": total, "items": items}
