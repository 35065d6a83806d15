"""A shop's customers, products, orders and order items in SQL, and the admin's order-list page views."""
import random

from scaleblind.platforms.database import loaded_database
from scaleblind.platforms.generate import PRIME, sql_mix as mix
from scaleblind.platforms.world import Request, World

FIRST = ["Ana", "Ben", "Chloé", "Dmitri", "Emeka", "Fatima", "Gus", "Hana", "Ivan", "Jo", "Kwame", "Lena",
         "Marta", "Nils", "Olu", "Priya", "Quinn", "Rosa", "Sven", "Tomasz", "Uma", "Vik", "Wen", "Yara"]
LAST = ["Smith", "García", "O'Brien", "Nguyen", "Müller", "Okafor", "Rossi", "Kowalski", "Tanaka", "Silva",
        "Dubois", "Haddad", "Jensen", "Kim", "Lopez", "Novak", "Patel", "Reyes", "Schmidt", "Walker"]
ADJ = ["Organic", "Classic", "Slim", "Merino", "Recycled", "Vintage", "Waterproof", "Linen", "Everyday",
       "Oversized", "Cropped", "Heavyweight", "Lightweight", "Ribbed", "Quilted", "Relaxed"]
NOUN = ["Cotton Tee", "Hoodie", "Denim Jacket", "Chino", "Rain Shell", "Beanie", "Crew Socks", "Tote Bag",
        "Polo Shirt", "Cardigan", "Parka", "Running Short", "Sweatpant", "Oxford Shirt", "Wool Scarf",
        "Leather Belt", "Canvas Sneaker", "Puffer Vest", "Flannel Shirt", "Bucket Hat"]
COLOURS = ["Black", "White", "Navy", "Olive", "Sand", "Rust", "Grey", "Forest"]
# Status of an order, in 20 equal buckets: 15% pending, 25% paid, 20% shipped, 30% delivered, 5% + 5%.
STATUS_BUCKETS = (["pending"] * 3 + ["paid"] * 5 + ["shipped"] * 4 + ["delivered"] * 6
                  + ["cancelled", "refunded"])
TABS = ["pending", "paid", "shipped", "delivered", "cancelled", "refunded"]
START_EPOCH = 1_735_689_600  # 2025-01-01T00:00:00Z

SCHEMA = """
CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT NOT NULL, email TEXT NOT NULL);
CREATE TABLE products (id INTEGER PRIMARY KEY, sku TEXT NOT NULL, title TEXT NOT NULL,
                       price_cents INTEGER NOT NULL);
CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL, status TEXT NOT NULL,
                     created_at TEXT NOT NULL, total_cents INTEGER NOT NULL);
CREATE TABLE order_items (id INTEGER PRIMARY KEY, order_id INTEGER NOT NULL, product_id INTEGER NOT NULL,
                          quantity INTEGER NOT NULL, unit_price_cents INTEGER NOT NULL);
"""


def price_sql(product_id: str) -> str:
    """A product's price in cents (x.99), a function of its id, so order items need no join to get it."""
    return f"(900 + ({product_id}) * 7919 % 111 * 100 - 1)"


def load(conn, tier, rng: random.Random) -> None:
    n_orders = tier.size
    n_customers, n_products = tier.params["customers"], tier.params["products"]
    span_s = tier.params["days"] * 86_400
    conn.executescript(SCHEMA)
    conn.executemany("INSERT INTO customers VALUES (?, ?, ?)", [
        (cid, name, f"{name.split()[0].lower()}.{cid}@example.com")
        for cid in range(1, n_customers + 1)
        for name in [f"{rng.choice(FIRST)} {rng.choice(LAST)}"]])
    conn.executemany(f"INSERT INTO products VALUES (?1, ?2, ?3, {price_sql('?1')})", [
        (pid, f"SKU-{pid:05d}", f"{rng.choice(ADJ)} {rng.choice(NOUN)} - {rng.choice(COLOURS)}")
        for pid in range(1, n_products + 1)])
    s = [rng.randrange(1, PRIME) for _ in range(4)]
    # Slot y = 4 * order + k (k = 0..3): an order has 1 to 4 items (mostly 1 or 2); the product is the
    # product of two uniform draws (16 and 15 bits of one hash), which favours popular low ids.
    conn.execute(f"""
        WITH RECURSIVE seq(y) AS (SELECT 4 UNION ALL SELECT y + 1 FROM seq WHERE y < {4 * n_orders + 3})
        INSERT INTO order_items (order_id, product_id, quantity, unit_price_cents)
        SELECT order_id, product_id, quantity, {price_sql('product_id')} FROM (
            SELECT y / 4 AS order_id,
                   1 + ((h & 65535) * ((h >> 16) & 32767) * {n_products} >> 31) AS product_id,
                   1 + (h % 7 = 0) + (h % 23 = 0) AS quantity
            FROM (SELECT y, {mix('y', s[0])} AS h FROM seq
                  WHERE y % 4 <= (({mix('y / 4', s[1])} & 255) * ({mix('y / 4', s[1])} >> 23) * 4 >> 16)))""")
    conn.execute("CREATE INDEX order_items_order ON order_items (order_id)")
    cases = " ".join(f"WHEN {i} THEN '{st}'" for i, st in enumerate(STATUS_BUCKETS))
    conn.execute(f"""
        INSERT INTO orders (id, customer_id, status, created_at, total_cents)
        SELECT order_id, 1 + ((h & 65535) * ((h >> 16) & 32767) * {n_customers} >> 31),
               CASE h % 20 {cases} END,
               datetime({START_EPOCH} + (order_id - 1) * {span_s} / {n_orders} + h % ({span_s} / {n_orders}),
                        'unixepoch'),
               total
        FROM (SELECT order_id, {mix('order_id', s[2])} AS h, SUM(quantity * unit_price_cents) AS total
              FROM order_items GROUP BY order_id)""")
    conn.execute("CREATE INDEX orders_status_created ON orders (status, created_at, id)")


def build(spec, tier, seed: int) -> World:
    rng = random.Random(f"{spec.id}:{tier.name}:{seed}")
    db, _ = loaded_database(spec.platform["db"], lambda conn: load(conn, tier, rng))
    clock = db.clock
    # Staff work through the status tabs; most views are the first page, some page on.
    requests = [Request({"status": rng.choice(TABS), "page": rng.choice([1, 1, 1, 1, 2, 3]), "per_page": 50})
                for _ in range(tier.requests)]
    return World(clock, {"db": db}, requests)
