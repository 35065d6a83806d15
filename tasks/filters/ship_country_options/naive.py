"""Naive (what SQL offers for "the distinct values"): SELECT DISTINCT over the store's orders. Correct; but
DISTINCT reads every index entry of the store to drop the repeats: a few dozen for a small store, 800,000
for the giant one, to return about fifty countries."""


def country_options(db, store_id):
    rows = db.execute(
        "SELECT DISTINCT o.ship_country, c.name FROM orders o JOIN countries c ON c.code = o.ship_country "
        "WHERE o.store_id = ? ORDER BY c.name, o.ship_country", [store_id])
    return [{"code": code, "name": name} for code, name in rows]
