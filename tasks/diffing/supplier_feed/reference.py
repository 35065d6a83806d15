"""Reference: a merge join. The feed arrives in SKU order and the catalog can be read in the same order
through a streamed query, so one pass with two cursors finds every difference while holding one page of
each side: memory does not grow with the catalog."""
import csv

HEADER = ["sku", "change", "our_price_cents", "supplier_price_cents", "our_stock", "supplier_stock"]


def feed_items(api):
    cursor = None
    while True:
        page = api.feed_page(cursor=cursor)
        yield from page["items"]
        cursor = page["next_cursor"]
        if cursor is None:
            return


def reconcile_feed(db, api, out):
    writer = csv.writer(out)
    writer.writerow(HEADER)
    counts = {"new": 0, "gone": 0, "changed": 0, "unchanged": 0}
    ours = db.stream("SELECT sku, price_cents, stock FROM products ORDER BY sku", batch_size=5000)
    theirs = feed_items(api)
    mine, item = next(ours, None), next(theirs, None)
    while mine is not None or item is not None:
        if item is None or (mine is not None and mine[0] < item["sku"]):
            writer.writerow([mine[0], "gone", mine[1], "", mine[2], ""])
            counts["gone"] += 1
            mine = next(ours, None)
        elif mine is None or item["sku"] < mine[0]:
            writer.writerow([item["sku"], "new", "", item["price_cents"], "", item["stock"]])
            counts["new"] += 1
            item = next(theirs, None)
        else:
            if (mine[1], mine[2]) != (item["price_cents"], item["stock"]):
                writer.writerow([mine[0], "changed", mine[1], item["price_cents"], mine[2], item["stock"]])
                counts["changed"] += 1
            else:
                counts["unchanged"] += 1
            mine, item = next(ours, None), next(theirs, None)
    return counts
