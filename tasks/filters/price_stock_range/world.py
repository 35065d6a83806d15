"""The store's products and variants in its database, and the price bands shoppers pick."""
import random

from scaleblind.platforms.clock import VirtualClock
from scaleblind.platforms.database import DatabaseConfig, DatabaseSimulator
from scaleblind.platforms.generate import without_gc
from scaleblind.platforms.world import Request, World

KINDS = ["Tee", "Hoodie", "Cap", "Mug", "Tote", "Poster", "Sticker", "Beanie", "Jacket", "Sneaker"]
VENDORS = [f"Vendor {c}" for c in "ABCDEFGHIJKLMNOP"]
OPTIONS = ["XS", "S", "M", "L", "XL", "Black", "White", "Navy", "Red", "Olive"]
PRICE_POINTS = (99, 49, 0, 95)   # $x.99, $x.49, $x.00, $x.95: many ties, so the id tie-break matters


def make_catalog(n_variants: int, rng: random.Random) -> tuple[list[tuple], list[tuple]]:
    bits = rng.getrandbits
    products, variants = [], []
    pid = 0
    while len(variants) < n_variants:
        pid += 1
        r = bits(32)
        status = "active" if r % 100 < 85 else ("draft" if r % 100 < 95 else "archived")
        kind = KINDS[(r >> 7) % 10]
        products.append((pid, f"{kind} {pid}", VENDORS[(r >> 11) % 16], status))
        dollars = int(5 * 1.0155 ** ((r >> 15) % 240))            # $5 to ~$200, log-spread
        for v in range(3 + (r >> 23) % 3):
            if len(variants) >= n_variants:
                break
            q = bits(24)
            price = (dollars + q % 4) * 100 + PRICE_POINTS[(q >> 2) % 4] - (100 if (q >> 2) % 4 != 2 else 0)
            stock = 0 if (q >> 4) % 100 < 30 else 1 + (q >> 11) % 60
            vid = len(variants) + 1
            variants.append((vid, pid, f"{kind[:3].upper()}-{pid}-{v + 1}", OPTIONS[(q >> 17) % 10],
                             max(99, price), stock))
    return products, variants


def random_band(rng: random.Random, variants: list[tuple], deep_pages: bool) -> dict:
    """A band a shopper would pick: round dollar bounds around real prices of the catalogue."""
    low = rng.choice(variants)[4] // 500 * 500
    high = low + rng.choice([1000, 2000, 2500, 3000, 5000])
    page = rng.choice([1, 1, 1, 2, 3]) if deep_pages else 1
    return {"price_min": low, "price_max": high, "page": page, "per_page": 24}


@without_gc
def build(spec, tier, seed: int) -> World:
    rng = random.Random(f"{spec.id}:{tier.name}:{seed}")
    products, variants = make_catalog(tier.size, rng)
    clock = VirtualClock()
    db = DatabaseSimulator(clock, DatabaseConfig.from_spec(spec.platform.get("db", {})))
    db.conn.executescript("""
        CREATE TABLE products (id INTEGER PRIMARY KEY, title TEXT, vendor TEXT, status TEXT);
        CREATE TABLE variants (id INTEGER PRIMARY KEY, product_id INTEGER, sku TEXT, option1 TEXT, price INTEGER,
                               inventory_quantity INTEGER);
    """)
    db.conn.executemany("INSERT INTO products VALUES (?, ?, ?, ?)", products)
    db.conn.executemany("INSERT INTO variants VALUES (?, ?, ?, ?, ?, ?)", variants)
    db.conn.execute("CREATE INDEX variants_price ON variants (price)")
    db.conn.execute("CREATE INDEX variants_product ON variants (product_id)")
    db.seal()
    requests = [Request(random_band(rng, variants, deep_pages=tier.size >= 1000)) for _ in range(tier.requests)]
    return World(clock, {"db": db}, requests)
