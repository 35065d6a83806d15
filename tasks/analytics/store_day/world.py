"""A commerce platform's orders (thousands of small stores and one giant one, two years of history), and
merchants opening the summary of a day."""
import random
import sqlite3
from datetime import date, timedelta

from scaleblind.platforms.database import loaded_database
from scaleblind.platforms.database_writes import shared_load
from scaleblind.platforms.generate import sql_mix as mix
from scaleblind.platforms.world import Request, World

START_EPOCH = 1_704_067_200  # 2024-01-01T00:00:00Z
GIANT = 1
STATUSES = ["paid"] * 5 + ["fulfilled"] * 12 + ["refunded", "cancelled", "pending"]

SCHEMA = """
CREATE TABLE stores (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
CREATE TABLE orders (id INTEGER PRIMARY KEY, store_id INTEGER NOT NULL, created_at TEXT NOT NULL,
                     status TEXT NOT NULL, total_cents INTEGER NOT NULL);
"""


def fill(conn: sqlite3.Connection, params: dict, seed: int) -> None:
    rng = random.Random(seed)
    stores, orders, giant, days = params["stores"], params["orders"], params["giant_orders"], params["days"]
    conn.executescript(SCHEMA)
    conn.executemany("INSERT INTO stores VALUES (?, ?)",
                     [(1, "MegaMart")] + [(i, f"Store {i}") for i in range(2, stores + 1)])
    s = [rng.randrange(1, 2**31 - 1) for _ in range(3)]
    span_s = days * 86_400
    statuses = " ".join(f"WHEN {i} THEN '{st}'" for i, st in enumerate(STATUSES))
    # The giant store's orders are spread evenly over the days; the small stores' fall on hashed days. More
    # orders in the day than at night: the hour is drawn twice and the later of the two kept, roughly.
    conn.execute(f"""
        WITH RECURSIVE seq(y) AS (SELECT 1 UNION ALL SELECT y + 1 FROM seq WHERE y < {orders})
        INSERT INTO orders (store_id, created_at, status, total_cents)
        SELECT store, datetime({START_EPOCH} + t, 'unixepoch'), CASE h2 % {len(STATUSES)} {statuses} END,
               500 + h3 % 20000
        FROM (SELECT h2, h3,
                     CASE WHEN y <= {giant} THEN {GIANT}
                          ELSE 2 + (h1 % 1000) * (h1 / 1000 % 1000) * {stores - 1} / 1000000 END AS store,
                     CASE WHEN y <= {giant} THEN (y - 1) * {span_s} / {giant} ELSE h1 % {span_s} END
                       / 86400 * 86400 + MAX(h2 % 86400, h3 % 86400) AS t
              FROM (SELECT y, {mix('y', s[0])} AS h1, {mix('y', s[1])} AS h2, {mix('y', s[2])} AS h3 FROM seq))
        """)
    conn.execute("CREATE INDEX orders_store_created ON orders (store_id, created_at)")
    conn.commit()


def day_text(offset_days: int) -> str:
    return (date(2024, 1, 1) + timedelta(days=offset_days)).isoformat()


def build(spec, tier, seed: int) -> World:
    params = {"stores": tier.params["stores"], "orders": tier.size, "giant_orders": tier.params["giant_orders"],
              "days": tier.params["days"]}
    share = (spec.id, tier.name, seed, tuple(sorted(params.items())))  # filled once, page-copied after
    salt = random.Random(f"{spec.id}:{tier.name}:{seed}").getrandbits(64)
    db, _ = loaded_database(spec.platform["db"], shared_load(share, lambda conn: fill(conn, params, salt)))
    rng = random.Random(f"{spec.id}:{tier.name}:{seed}:requests")
    # Merchants look at yesterday and the last weeks; the giant store's staff as often as anyone.
    stores = [GIANT] * 3 + [2 + int(rng.random() ** 2 * (params["stores"] - 1)) for _ in range(tier.requests - 3)]
    rng.shuffle(stores)
    requests = [Request({"store_id": store, "day": day_text(params["days"] - 1 - int(rng.random() ** 2 * 30))})
                for store in stores]
    return World(db.clock, {"db": db}, requests)
