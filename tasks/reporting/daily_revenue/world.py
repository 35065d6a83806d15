"""A year of a shop's orders and order items, products in 12 categories, and the revenue-chart requests."""
import random
from datetime import date, timedelta

from scaleblind.platforms.database import loaded_database
from scaleblind.platforms.generate import PRIME, sql_mix as mix
from scaleblind.platforms.world import Request, World

FIRST_DAY = date(2026, 1, 1)
DAYS = 365
START_EPOCH = 1_767_225_600  # 2026-01-01T00:00:00Z
CATEGORIES = ["Accessories", "Activewear", "Bags", "Bottoms", "Dresses", "Home", "Knitwear", "Outerwear",
              "Shoes", "Swimwear", "Tops", "Underwear"]
ADJ = ["Organic", "Classic", "Slim", "Merino", "Recycled", "Vintage", "Waterproof", "Linen", "Everyday",
       "Oversized", "Cropped", "Heavyweight", "Lightweight", "Ribbed", "Quilted", "Relaxed"]
# Report ranges in days: most views are a week to a quarter; some look at the half year or the whole year.
RANGE_DAYS = [7, 7, 14, 28, 30, 31, 61, 90, 92, 365]

SCHEMA = """
CREATE TABLE products (id INTEGER PRIMARY KEY, title TEXT NOT NULL, category TEXT NOT NULL);
CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL, created_at TEXT NOT NULL,
                     status TEXT NOT NULL);
CREATE TABLE order_items (id INTEGER PRIMARY KEY, order_id INTEGER NOT NULL, product_id INTEGER NOT NULL,
                          quantity INTEGER NOT NULL, unit_price_cents INTEGER NOT NULL);
"""


def load(conn, tier, rng: random.Random) -> None:
    n_orders, n_products = tier.size, tier.params["products"]
    span_s = DAYS * 86_400
    conn.executescript(SCHEMA)
    conn.executemany("INSERT INTO products VALUES (?, ?, ?)", [
        (pid, f"{rng.choice(ADJ)} {category.lower()} no. {pid}", category)
        for pid in range(1, n_products + 1) for category in [rng.choice(CATEGORIES)]])
    s = [rng.randrange(1, PRIME) for _ in range(3)]
    conn.execute(f"""
        WITH RECURSIVE seq(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM seq WHERE x < {n_orders})
        INSERT INTO orders (id, customer_id, created_at, status)
        SELECT x, 1 + h % {max(1, n_orders // 3)},
               datetime({START_EPOCH} + (x - 1) * {span_s} / {n_orders} + h % {span_s // n_orders + 1}, 'unixepoch'),
               CASE h % 25 WHEN 0 THEN 'cancelled' WHEN 1 THEN 'refunded' WHEN 2 THEN 'pending' ELSE 'paid' END
        FROM (SELECT x, {mix('x', s[0])} AS h FROM seq)""")
    # Slot y = 4 * order + k: 1 to 4 items per order; popular products (low ids) sell more.
    conn.execute(f"""
        WITH RECURSIVE seq(y) AS (SELECT 4 UNION ALL SELECT y + 1 FROM seq WHERE y < {4 * n_orders + 3})
        INSERT INTO order_items (order_id, product_id, quantity, unit_price_cents)
        SELECT y / 4, 1 + ((h & 65535) * ((h >> 16) & 32767) * {n_products} >> 31),
               1 + (h % 7 = 0) + (h % 19 = 0), 900 + (h >> 9) % 110 * 100 - 1
        FROM (SELECT y, {mix('y', s[1])} AS h FROM seq WHERE y % 4 <= {mix('y / 4', s[2])} % 4)""")
    conn.execute("CREATE INDEX orders_created ON orders (created_at)")
    conn.execute("CREATE INDEX order_items_order ON order_items (order_id)")


def build(spec, tier, seed: int) -> World:
    rng = random.Random(f"{spec.id}:{tier.name}:{seed}")
    db, _ = loaded_database(spec.platform["db"], lambda conn: load(conn, tier, rng))
    clock = db.clock
    requests = []
    for days in rng.sample(RANGE_DAYS, len(RANGE_DAYS))[:tier.requests]:
        start = FIRST_DAY + timedelta(days=rng.randrange(DAYS - days + 1))
        requests.append(Request({"since": start.isoformat(), "until": (start + timedelta(days=days)).isoformat()}))
    return World(clock, {"db": db}, requests)
