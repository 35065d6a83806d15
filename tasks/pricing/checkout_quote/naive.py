"""Naive (the textbook interval lookup): one query for every product of the cart with
`valid_from <= at AND (valid_to IS NULL OR valid_to > at)`. Correct, and one query; but the index on
(product_id, valid_from) bounds only the lower end, so the database reads every price row a product had
before `at`: the whole history of a repriced bestseller."""


def quote(db, items, at):
    prices = {}
    if items:
        ids = [item["product_id"] for item in items]
        marks = ",".join("?" * len(ids))
        prices = dict(db.execute(
            f"SELECT product_id, price_cents FROM prices WHERE product_id IN ({marks}) "
            "AND valid_from <= ? AND (valid_to IS NULL OR valid_to > ?)", ids + [at, at]))
    lines, unavailable = [], []
    for item in items:
        price = prices.get(item["product_id"])
        if price is None:
            unavailable.append(item["product_id"])
        else:
            lines.append({"product_id": item["product_id"], "quantity": item["quantity"],
                          "unit_price_cents": price, "line_total_cents": price * item["quantity"]})
    return {"lines": lines, "unavailable": unavailable, "total_cents": sum(l["line_total_cents"] for l in lines)}
