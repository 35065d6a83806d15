"""Reference: one pass over each side, joined on a dict keyed by the normalised SKU (O(n + m))."""


def reconcile_inventory(db, location_id, feed):
    warehouse = {}
    for line in feed:
        sku = line["sku"].strip().upper()
        warehouse[sku] = warehouse.get(sku, 0) + line["quantity"]

    matched, conflicts, missing_in_warehouse = 0, [], []
    rows = db.execute("SELECT sku, on_hand FROM inventory_levels WHERE location_id = ?", (location_id,))
    for sku, on_hand in rows:
        quantity = warehouse.pop(sku, None)
        if quantity is None:
            missing_in_warehouse.append(sku)
            continue
        matched += 1
        if quantity != on_hand:
            conflicts.append([sku, on_hand, quantity])

    conflicts.sort()
    missing_in_warehouse.sort()
    return {"matched": matched, "conflicts": conflicts, "missing_in_store": sorted(warehouse),
            "missing_in_warehouse": missing_in_warehouse}
