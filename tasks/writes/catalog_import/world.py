"""A store's catalog in SQL (categories, products with a unique SKU) and the product files merchants upload.

Uploads mix new products with rows the catalog already has (a file re-uploaded after a fix), rows repeated
within the file, and rows with exactly one field problem, so every rejection has one reason.
"""
import math
import random

from scaleblind.platforms.database_writes import writable_database
from scaleblind.platforms.generate import PRIME, sql_mix as mix
from scaleblind.platforms.world import Request, World

ADJ = ["Organic", "Classic", "Slim", "Merino", "Recycled", "Vintage", "Waterproof", "Linen", "Everyday",
       "Oversized", "Cropped", "Heavyweight", "Lightweight", "Ribbed", "Quilted", "Relaxed"]
NOUN = ["Cotton Tee", "Hoodie", "Denim Jacket", "Chino", "Rain Shell", "Beanie", "Crew Socks", "Tote Bag",
        "Polo Shirt", "Cardigan", "Parka", "Running Short", "Sweatpant", "Oxford Shirt", "Wool Scarf"]
COLOURS = ["Black", "White", "Navy", "Olive", "Sand", "Rust", "Grey", "Forest"]
# What a row of an upload is, in 100 equal buckets.
KINDS = (["new"] * 62 + ["existing"] * 22 + ["repeat"] * 5 + ["missing_title"] * 2 + ["invalid_price"] * 3
         + ["invalid_stock"] * 3 + ["unknown_category"] * 3)

SCHEMA = """
CREATE TABLE categories (id INTEGER PRIMARY KEY, slug TEXT NOT NULL UNIQUE);
CREATE TABLE products (
    id INTEGER PRIMARY KEY,
    sku TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL CONSTRAINT title_present CHECK (length(trim(title)) > 0),
    category_id INTEGER NOT NULL REFERENCES categories (id),
    price_cents INTEGER NOT NULL CONSTRAINT price_positive CHECK (price_cents > 0),
    stock INTEGER NOT NULL CONSTRAINT stock_not_negative CHECK (stock >= 0)
);
CREATE INDEX products_category ON products (category_id);
"""
TITLES = [f"{a} {n} - {c}" for a in ADJ for n in NOUN for c in COLOURS]


def sku(number: int) -> str:
    return f"SKU-{number:08d}"


def load(conn, n: int, n_categories: int, salt: int) -> None:
    """Categories and the existing catalog, generated inside SQLite."""
    conn.executescript(SCHEMA)
    conn.executemany("INSERT INTO categories VALUES (?, ?)",
                     [(c, f"category-{c}") for c in range(1, n_categories + 1)])
    adjs = " ".join(f"WHEN {i} THEN '{a}'" for i, a in enumerate(ADJ))
    nouns = " ".join(f"WHEN {i} THEN '{a}'" for i, a in enumerate(NOUN))
    # Existing products have even SKU numbers (2, 4, ... 2n); uploads invent new ones among the odd numbers.
    conn.execute(f"""
        WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < {n})
        INSERT INTO products (id, sku, title, category_id, price_cents, stock)
        SELECT i, printf('SKU-%08d', 2 * i), (CASE h % {len(ADJ)} {adjs} END) || ' ' ||
               (CASE h / 16 % {len(NOUN)} {nouns} END), 1 + h / 256 % {n_categories},
               99 + h / 4096 % 200 * 100, h / 1048576 % 400
        FROM (SELECT i, {mix('i', salt)} AS h FROM seq)""")


def upload(rng: random.Random, rows: int, existing: int, n_categories: int, new_skus: list[int],
           imported: list[str]) -> list[dict]:
    """One product file: rows in line order (line 1 is the header). One 64-bit draw per row keeps the growth
    tier's 240,000 rows fast to make."""
    out, here = [], []
    for line in range(2, rows + 2):
        bits = rng.getrandbits(64)
        kind = KINDS[bits % 100]
        bits //= 100
        if kind == "repeat" and not here:
            kind = "new"
        if kind == "existing":
            code = sku(2 * (1 + bits % existing)) if not imported or bits % 10 < 7 \
                else imported[bits // 10 % len(imported)]
        elif kind == "repeat":
            code = here[bits % len(here)]
        else:
            code = sku(new_skus.pop())
        bits //= 1 << 20
        row = {"line": line, "sku": code, "title": TITLES[bits % len(TITLES)],
               "category_id": 1 + bits // 2048 % n_categories, "price_cents": (bits >> 20) % 295 * 100 + 499,
               "stock": (bits >> 29) % 500}
        if kind == "missing_title":
            row["title"] = ["", "  "][bits >> 40 & 1]
        elif kind == "invalid_price":
            row["price_cents"] = [0, -1, -100, -row["price_cents"]][bits >> 40 & 3]
        elif kind == "invalid_stock":
            row["stock"] = -1 - (bits >> 40) % 20
        elif kind == "unknown_category":
            row["category_id"] = n_categories + 1 + (bits >> 40) % 50
        elif kind == "new":
            here.append(code)
        out.append(row)
    imported.extend(here)
    return out


def fingerprint(where: str) -> str:
    """An order-free digest of products' fields in SQL, keyed by the SKU's number (SKUs here are numeric), so
    the check needs no row transfer: any lost, extra or altered row changes it."""
    terms = ", ".join(f"sum(n * {expr} % {p})" for expr, p in (
        ("price_cents", 1_000_003), ("stock", 999_983), ("category_id", 999_979), ("length(title)", 999_961),
        ("unicode(title)", 999_959), ("unicode(substr(title, -1))", 999_953), ("instr(title, ' - ')", 999_931)))
    return f"SELECT count(*), {terms} FROM (SELECT CAST(substr(sku, 5) AS INTEGER) AS n, * FROM products {where})"


def build(spec, tier, seed: int) -> World:
    rng = random.Random(f"{spec.id}:{tier.name}:{seed}")
    existing, n_categories = tier.params["products"], tier.params["categories"]
    db, _ = writable_database(
        spec.platform["db"], lambda conn: load(conn, existing, n_categories, rng.randrange(1, PRIME)),
        checks={"catalog": "SELECT count(*), sum(price_cents), sum(stock), sum(category_id) FROM products",
                "imported": fingerprint(f"WHERE id > {existing}")},
        share=(spec.id, tier.name, seed))
    rng = random.Random(f"{spec.id}:{tier.name}:{seed}:uploads")
    rows = tier.size
    total = rows * tier.requests
    step = next(k for k in range(total // 3, total) if math.gcd(k, total) == 1)  # a fixed permutation of 0..total-1
    new_skus = [2 * (i * step % total) + 1 for i in range(total)]
    imported: list[str] = []
    requests = [Request({"rows": upload(rng, rows, existing, n_categories, new_skus, imported)})
                for _ in range(tier.requests)]
    return World(db.clock, {"db": db}, requests)
