"""Reference: for each product, its newest price row that starts at or before `at` (ORDER BY valid_from DESC
LIMIT 1 reads the index from that point backwards, one entry), all products in one UNION ALL query; then the
row counts only if it has not ended by `at`."""


def quote(db, items, at):
    prices = {}
    if items:
        one = ("SELECT * FROM (SELECT product_id, price_cents, valid_to FROM prices "
               "WHERE product_id = ? AND valid_from <= ? ORDER BY valid_from DESC LIMIT 1)")
        params = [value for item in items for value in (item["product_id"], at)]
        for product_id, price, valid_to in db.execute(" UNION ALL ".join([one] * len(items)), params):
            if valid_to is None or at < valid_to:
                prices[product_id] = price
    lines, unavailable = [], []
    for item in items:
        price = prices.get(item["product_id"])
        if price is None:
            unavailable.append(item["product_id"])
        else:
            lines.append({"product_id": item["product_id"], "quantity": item["quantity"],
                          "unit_price_cents": price, "line_total_cents": price * item["quantity"]})
    return {"lines": lines, "unavailable": unavailable, "total_cents": sum(l["line_total_cents"] for l in lines)}
