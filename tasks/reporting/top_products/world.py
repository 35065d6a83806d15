"""A quarter of a shop's sales lines in a wide reporting table, its products, and the top-sellers requests."""
import random
from datetime import date, timedelta

from scaleblind.platforms.database import loaded_database
from scaleblind.platforms.generate import PRIME, sql_mix as mix
from scaleblind.platforms.world import Request, World

FIRST_DAY = date(2026, 10, 1)
DAYS = 92  # Q4 2026: 1 October .. 31 December
START_EPOCH = 1_790_812_800  # 2026-10-01T00:00:00Z
ADJ = ["Organic", "Classic", "Slim", "Merino", "Recycled", "Vintage", "Waterproof", "Linen", "Everyday",
       "Oversized", "Cropped", "Heavyweight", "Lightweight", "Ribbed", "Quilted", "Relaxed"]
TYPES = {"Tops": ["Cotton Tee", "Polo Shirt", "Oxford Shirt", "Flannel Shirt"],
         "Knitwear": ["Cardigan", "Crew Jumper", "Roll Neck"], "Outerwear": ["Parka", "Rain Shell", "Puffer Vest"],
         "Bottoms": ["Chino", "Sweatpant", "Running Short", "Jeans"], "Accessories": ["Beanie", "Wool Scarf",
         "Leather Belt", "Tote Bag"], "Shoes": ["Canvas Sneaker", "Chelsea Boot", "Slide"]}
VENDORS = ["Northwind Apparel", "Fjord & Pine", "Urban Loom", "Saltmarsh Co.", "Kettle Street", "Ostara"]
VARIANTS = ["XS / Black", "S / Black", "M / Black", "L / Navy", "XL / Navy", "M / Olive", "L / Sand", "S / Rust"]
CHANNELS = ["online_store", "online_store", "online_store", "pos", "instagram", "marketplace"]
COUNTRIES = ["US", "US", "US", "CA", "GB", "DE", "AU", "FR"]
# Window lengths in days: today, last 7 / 14 / 30 days, this month, last 60 days, the quarter.
WINDOWS = [1, 7, 7, 14, 30, 31, 60, 92]

SCHEMA = """
CREATE TABLE products (id INTEGER PRIMARY KEY, title TEXT NOT NULL, product_type TEXT NOT NULL,
                       vendor TEXT NOT NULL, status TEXT NOT NULL, sku TEXT NOT NULL);
CREATE TABLE sales_lines (
    id INTEGER PRIMARY KEY, happened_at TEXT NOT NULL, order_id INTEGER NOT NULL, order_name TEXT NOT NULL,
    channel TEXT NOT NULL, customer_id INTEGER NOT NULL, billing_country TEXT NOT NULL,
    product_id INTEGER NOT NULL, product_title TEXT NOT NULL, product_type TEXT NOT NULL, vendor TEXT NOT NULL,
    variant_id INTEGER NOT NULL, variant_title TEXT NOT NULL, sku TEXT NOT NULL, quantity INTEGER NOT NULL,
    gross_sales_cents INTEGER NOT NULL, discounts_cents INTEGER NOT NULL, returns_cents INTEGER NOT NULL,
    net_sales_cents INTEGER NOT NULL, taxes_cents INTEGER NOT NULL, currency TEXT NOT NULL);
"""


def load(conn, tier, rng: random.Random) -> None:
    n_lines, n_products = tier.size, tier.params["products"]
    span_s = DAYS * 86_400
    conn.executescript(SCHEMA)
    products = []
    for pid in range(1, n_products + 1):
        product_type = rng.choice(sorted(TYPES))
        products.append((pid, f"{rng.choice(ADJ)} {rng.choice(TYPES[product_type])}", product_type,
                         rng.choice(VENDORS), "archived" if rng.random() < 0.05 else "active",
                         f"{product_type[:3].upper()}-{pid:05d}"))
    conn.executemany("INSERT INTO products VALUES (?, ?, ?, ?, ?, ?)", products)
    # Small lookup tables (joined by key) are much cheaper than CASE or printf per generated row.
    for name, values in (("gen_channel", CHANNELS), ("gen_country", COUNTRIES), ("gen_variant", VARIANTS)):
        conn.execute(f"CREATE TEMP TABLE {name} (k INTEGER PRIMARY KEY, v TEXT)")
        conn.executemany(f"INSERT INTO {name} VALUES (?, ?)", list(enumerate(values)))
    salt = rng.randrange(1, PRIME)
    # Line x belongs to order (x + 1) // 2 (about two lines per order). Popular products (low ids) sell more;
    # prices are a function of the product, discounts and returns hit some lines.
    conn.execute(f"""
        WITH RECURSIVE seq(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM seq WHERE x < {n_lines}),
        line AS MATERIALIZED (
            SELECT x, h, v, q, disc, pid, q * (900 + pid * 7919 % 111 * 100 - 1) AS gross
            FROM (SELECT x, h, (h >> 11) % 8 AS v, 1 + (h % 5 = 0) + (h % 17 = 0) AS q,
                         CASE WHEN h % 6 = 0 THEN 20 ELSE 0 END AS disc,
                         1 + ((h & 65535) * ((h >> 16) & 32767) * {n_products} >> 31) AS pid
                  FROM (SELECT x, {mix('x', salt)} AS h FROM seq)))
        INSERT INTO sales_lines
        SELECT x, datetime({START_EPOCH} + (x - 1) * {span_s} / {n_lines} + h % {span_s // n_lines + 1}, 'unixepoch'),
               (x + 1) / 2, '#' || (10000 + (x + 1) / 2), ch.v,
               1 + (h >> 3) % {max(1, n_lines // 5)}, co.v,
               p.id, p.title, p.product_type, p.vendor, p.id * 10 + line.v, va.v, p.sku || '-' || line.v, q,
               gross, gross * disc / 100, CASE WHEN h % 29 = 0 THEN gross - gross * disc / 100 ELSE 0 END,
               CASE WHEN h % 29 = 0 THEN 0 ELSE gross - gross * disc / 100 END,
               (gross - gross * disc / 100) * 8 / 100, 'USD'
        FROM line JOIN products p ON p.id = pid JOIN gen_variant va ON va.k = line.v
        JOIN gen_channel ch ON ch.k = h % {len(CHANNELS)} JOIN gen_country co ON co.k = (h >> 5) % {len(COUNTRIES)}""")
    for name in ("gen_channel", "gen_country", "gen_variant"):
        conn.execute(f"DROP TABLE {name}")
    conn.execute("CREATE INDEX sales_lines_happened ON sales_lines (happened_at)")


def build(spec, tier, seed: int) -> World:
    rng = random.Random(f"{spec.id}:{tier.name}:{seed}")
    db, _ = loaded_database(spec.platform["db"], lambda conn: load(conn, tier, rng))
    clock = db.clock
    requests = []
    for i in range(tier.requests):
        days = WINDOWS[i % len(WINDOWS)]
        start = FIRST_DAY + timedelta(days=rng.randrange(DAYS - days + 1))
        requests.append(Request({"since": start.isoformat(), "until": (start + timedelta(days=days)).isoformat(),
                                 "by": rng.choice(["net_sales", "net_sales", "units"]),
                                 "limit": rng.choice([10, 10, 20])}))
    rng.shuffle(requests)
    return World(clock, {"db": db}, requests)
