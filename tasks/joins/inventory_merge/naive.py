"""Naive (the tutorial answer): load the location's inventory, then find each SKU's lines in the feed with a loop."""


def reconcile_inventory(db, location_id, feed):
    items = db.execute("SELECT sku, on_hand FROM inventory_levels WHERE location_id = ? ORDER BY sku",
                       (location_id,))

    matched = 0
    conflicts = []
    missing_in_warehouse = []
    for sku, on_hand in items:
        lines = [line for line in feed if line["sku"].strip().upper() == sku]
        if not lines:
            missing_in_warehouse.append(sku)
            continue
        matched += 1
        quantity = sum(line["quantity"] for line in lines)
        if quantity != on_hand:
            conflicts.append([sku, on_hand, quantity])

    store_skus = [sku for sku, _ in items]
    missing_in_store = []
    for line in feed:
        sku = line["sku"].strip().upper()
        if sku not in store_skus and sku not in missing_in_store:
            missing_in_store.append(sku)
    missing_in_store.sort()

    return {"matched": matched, "conflicts": conflicts, "missing_in_store": missing_in_store,
            "missing_in_warehouse": missing_in_warehouse}
