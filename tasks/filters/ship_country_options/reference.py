"""Reference: a loose index scan. The index on (store_id, ship_country) holds the store's countries in
order, so each next country is one seek (`MIN(ship_country) ... WHERE ship_country > previous`), walked by a
recursive CTE: about one seek per distinct country, however many orders the store has."""


def country_options(db, store_id):
    rows = db.execute("""
        WITH RECURSIVE found(code) AS (
            SELECT (SELECT MIN(ship_country) FROM orders WHERE store_id = ?1)
            UNION ALL
            SELECT (SELECT MIN(ship_country) FROM orders WHERE store_id = ?1 AND ship_country > found.code)
            FROM found WHERE found.code IS NOT NULL)
        SELECT c.code, c.name FROM found f JOIN countries c ON c.code = f.code
        ORDER BY c.name, c.code""", [store_id])
    return [{"code": code, "name": name} for code, name in rows]
