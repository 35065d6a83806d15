"""Naive (the tutorial answer): load the variants and products, filter, sort and slice in Python."""


def filter_variants(db, price_min, price_max, page=1, per_page=24):
    statuses = {pid: status for pid, status in db.execute("SELECT id, status FROM products")}
    variants = db.execute("SELECT id, product_id, sku, price, inventory_quantity FROM variants")

    matching = []
    for vid, product_id, sku, price, quantity in variants:
        if price_min <= price <= price_max and quantity > 0 and statuses.get(product_id) == "active":
            matching.append({"id": vid, "product_id": product_id, "sku": sku, "price": price})

    matching.sort(key=lambda v: (v["price"], v["id"]))
    start = (page - 1) * per_page
    return {"total": len(matching), "items": matching[start:start + per_page]}
