"""Reference: one full backfill, then only what changed since the newest updated_at already mirrored."""

_MIRRORS = {}  # shop -> {"products": {id: product}, "since": newest updated_at seen}


def sync_catalog(api, shop):
    mirror = _MIRRORS.setdefault(shop, {"products": {}, "since": None})
    products = mirror["products"]
    page_info = None
    while True:
        if page_info is None:
            response = api.list_products(updated_at_min=mirror["since"], limit=250)
        else:
            response = api.list_products(page_info=page_info, limit=250)
        for item in response["items"]:
            products[item["id"]] = item
            if mirror["since"] is None or item["updated_at"] > mirror["since"]:
                mirror["since"] = item["updated_at"]
        page_info = response["next_page_info"]
        if page_info is None:
            break
    active = [p for p in products.values() if p["status"] == "active"]
    return {"products": len(products), "active": len(active),
            "inventory_value_cents": sum(p["price_cents"] * p["inventory"] for p in active)}
