"""Naive (the tutorial answer): fetch every product, then filter and count in a loop."""


def filter_products(api, filters, page=1, per_page=24):
    products = []
    current = 1
    while True:
        response = api.list_products(page=current, per_page=250)
        products.extend(response["items"])
        if current >= response["total_pages"]:
            break
        current += 1

    def variant_ok(variant):
        if filters.get("colors") and variant["color"] not in filters["colors"]:
            return False
        if filters.get("sizes") and variant["size"] not in filters["sizes"]:
            return False
        if filters.get("price_min") is not None and variant["price"] < filters["price_min"]:
            return False
        if filters.get("price_max") is not None and variant["price"] > filters["price_max"]:
            return False
        if filters.get("in_stock_only") and not variant["in_stock"]:
            return False
        return True

    def product_ok(product, ignore_brand=False):
        if filters.get("category") and product["category"] != filters["category"]:
            return False
        if not ignore_brand and filters.get("brands") and product["brand"] not in filters["brands"]:
            return False
        return any(variant_ok(v) for v in product["variants"])

    matching = [p for p in products if product_ok(p)]
    matching.sort(key=lambda p: p["id"])
    brand_counts = {}
    for product in products:
        if product_ok(product, ignore_brand=True):
            brand_counts[product["brand"]] = brand_counts.get(product["brand"], 0) + 1
    start = (page - 1) * per_page
    return {"total": len(matching), "product_ids": [p["id"] for p in matching[start:start + per_page]],
            "brand_counts": brand_counts}
