"""A shop's products and their price history (a few repriced bestsellers change price every couple of minutes,
the rest a few times a year), and the carts quoted at checkout."""
import random
import sqlite3

from scaleblind.platforms.database import loaded_database
from scaleblind.platforms.database_writes import shared_load
from scaleblind.platforms.generate import sql_mix as mix
from scaleblind.platforms.world import Request, World

START = 1_735_689_600  # 2025-01-01T00:00:00Z
ADJ = ["Organic", "Classic", "Slim", "Merino", "Recycled", "Vintage", "Waterproof", "Linen", "Everyday"]
NOUN = ["Cotton Tee", "Hoodie", "Denim Jacket", "Chino", "Rain Shell", "Beanie", "Crew Socks", "Tote Bag"]

SCHEMA = """
CREATE TABLE products (id INTEGER PRIMARY KEY, sku TEXT NOT NULL, title TEXT NOT NULL);
CREATE TABLE prices (id INTEGER PRIMARY KEY, product_id INTEGER NOT NULL, price_cents INTEGER NOT NULL,
                     valid_from INTEGER NOT NULL, valid_to INTEGER);
"""


def catalog_history(products: int, repriced: int, end: int, rng: random.Random) -> list[tuple]:
    """Price rows of the ordinary products: 1 to 6 periods over the year, changing on whole minutes; some
    periods end a few days before the next starts (out of the range for a while), some products launched
    late in the year and some were discontinued this month."""
    rows = []
    span_min = (end - START) // 60
    for pid in range(repriced + 1, products + 1):
        points = sorted(rng.sample(range(1, span_min), 1 + int(rng.random() ** 2 * 6)))
        starts = points if rng.random() < 0.15 else [0] + points[1:]
        stops = starts[1:] + [None]
        base = 500 + int(rng.random() * 9000)
        for start, stop in zip(starts, stops):
            if stop is None and rng.random() < 0.05:
                stop = max(start + 1, span_min - rng.randrange(1, 30 * 1440))
            elif stop is not None and rng.random() < 0.1:
                stop -= min(stop - start - 1, 3 * 1440)
            price = base + int((rng.random() - 0.5) * base * 0.4)
            rows.append((pid, price, START + 60 * start, None if stop is None else START + 60 * stop))
    return rows


def fill(conn: sqlite3.Connection, params: dict, seed: int) -> None:
    rng = random.Random(seed)
    products, repriced, history, end = params["products"], params["repriced"], params["history"], params["end"]
    conn.executescript(SCHEMA)
    conn.executemany("INSERT INTO products VALUES (?, ?, ?)",
                     [(pid, f"SKU-{pid:06d}", f"{rng.choice(ADJ)} {rng.choice(NOUN)}")
                      for pid in range(1, products + 1)])
    # The repriced bestsellers: a new price every `period` seconds for `history` periods up to now; the
    # current price is open-ended. Rows of all of them interleave in time, as the pricing engine writes them.
    period = (end - START) // history // 60 * 60
    first = end - history * period
    salt = rng.randrange(1, 2**31 - 1)
    conn.execute(f"""
        WITH RECURSIVE seq(y) AS (SELECT 0 UNION ALL SELECT y + 1 FROM seq WHERE y < {history * repriced - 1})
        INSERT INTO prices (product_id, price_cents, valid_from, valid_to)
        SELECT 1 + y % {repriced}, 1900 + {mix('y', salt)} % 600, {first} + (y / {repriced}) * {period},
               CASE WHEN y / {repriced} = {history - 1} THEN NULL
                    ELSE {first} + (y / {repriced} + 1) * {period} END
        FROM seq""")
    conn.executemany("INSERT INTO prices (product_id, price_cents, valid_from, valid_to) VALUES (?, ?, ?, ?)",
                     catalog_history(products, repriced, end, rng))
    conn.execute("CREATE INDEX prices_product_from ON prices (product_id, valid_from)")
    conn.commit()


def cart(products: int, repriced: int, rng: random.Random) -> list[dict]:
    """1 to 6 distinct products; most carts hold a bestseller (they are bestsellers)."""
    size = 1 + int(rng.random() ** 1.5 * 6)
    chosen = set(rng.sample(range(repriced + 1, products + 1), min(size, products - repriced)))
    if rng.random() < 0.8:
        chosen.add(rng.randrange(1, repriced + 1))
    ids = list(chosen)
    rng.shuffle(ids)
    return [{"product_id": pid, "quantity": 1 + int(rng.random() ** 3 * 4)} for pid in ids]


def build(spec, tier, seed: int) -> World:
    end = START + tier.params["days"] * 86_400
    params = {"products": tier.params["products"], "repriced": tier.params["repriced"], "history": tier.size,
              "end": end}
    share = (spec.id, tier.name, seed, tuple(sorted(params.items())))  # filled once, page-copied after
    salt = random.Random(f"{spec.id}:{tier.name}:{seed}").getrandbits(64)
    db, _ = loaded_database(spec.platform["db"], shared_load(share, lambda conn: fill(conn, params, salt)))
    rng = random.Random(f"{spec.id}:{tier.name}:{seed}:requests")
    requests = []
    for _ in range(tier.requests):
        # Checkouts happen now (the last week); prices change on whole minutes, carts are quoted at any second.
        at = end - rng.randrange(1, 7 * 1440) * 60 + rng.randrange(1, 60)
        requests.append(Request({"items": cart(params["products"], params["repriced"], rng), "at": at}))
    requests[-1].args["items"] = []  # an emptied cart still asks for its quote
    return World(db.clock, {"db": db}, requests)
