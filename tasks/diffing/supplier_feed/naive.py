"""Naive (the dictionary diff): load the catalog into a dict keyed by SKU, walk the feed popping matches,
and whatever is left in the dict is gone. Correct, and linear; but the whole catalog sits in memory at
once, which at 485,000 SKUs is more than the job's container holds."""
import csv


def reconcile_feed(db, api, out):
    ours = {sku: (price, stock) for sku, price, stock in db.execute("SELECT sku, price_cents, stock FROM products")}
    lines = []
    counts = {"new": 0, "gone": 0, "changed": 0, "unchanged": 0}
    cursor = None
    while True:
        page = api.feed_page(cursor=cursor)
        for item in page["items"]:
            mine = ours.pop(item["sku"], None)
            if mine is None:
                lines.append([item["sku"], "new", "", item["price_cents"], "", item["stock"]])
                counts["new"] += 1
            elif mine != (item["price_cents"], item["stock"]):
                lines.append([item["sku"], "changed", mine[0], item["price_cents"], mine[1], item["stock"]])
                counts["changed"] += 1
            else:
                counts["unchanged"] += 1
        cursor = page["next_cursor"]
        if cursor is None:
            break
    for sku, (price, stock) in ours.items():
        lines.append([sku, "gone", price, "", stock, ""])
        counts["gone"] += 1
    lines.sort(key=lambda line: line[0])
    writer = csv.writer(out)
    writer.writerow(["sku", "change", "our_price_cents", "supplier_price_cents", "our_stock", "supplier_stock"])
    writer.writerows(lines)
    return counts
