"""Naive (the tutorial answer): download the whole catalog on every run and rebuild the mirror."""

mirror = {}


def sync_catalog(api, shop):
    mirror.clear()
    page_info = None
    while True:
        if page_info:
            response = api.list_products(limit=250, page_info=page_info)
        else:
            response = api.list_products(limit=250)
        for product in response["items"]:
            mirror[product["id"]] = product
        page_info = response["next_page_info"]
        if not page_info:
            break
    active = [p for p in mirror.values() if p["status"] == "active"]
    return {"products": len(mirror), "active": len(active),
            "inventory_value_cents": sum(p["price_cents"] * p["inventory"] for p in active)}
