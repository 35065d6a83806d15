"""A B2B seller's customers and orders, the finance team's customer_stats view over them, and account
managers paging through segments."""
import random
import sqlite3

from scaleblind.platforms.database import loaded_database
from scaleblind.platforms.database_writes import shared_load
from scaleblind.platforms.generate import sql_mix as mix
from scaleblind.platforms.world import Request, World

SEGMENTS = ["enterprise", "mid_market", "smb", "public_sector", "education"]
FIRST = ["Ana", "Ben", "Chloé", "Dmitri", "Emeka", "Fatima", "Gus", "Hana", "Ivan", "Jo", "Kwame", "Lena",
         "Marta", "Nils", "Olu", "Priya", "Quinn", "Rosa", "Sven", "Tomasz", "Uma", "Vik", "Wen", "Yara"]
LAST = ["Smith", "García", "O'Brien", "Nguyen", "Müller", "Okafor", "Rossi", "Kowalski", "Tanaka", "Silva",
        "Dubois", "Haddad", "Jensen", "Kim", "Lopez", "Novak", "Patel", "Reyes", "Schmidt", "Walker"]
STATUSES = ["paid"] * 4 + ["fulfilled"] * 10 + ["refunded", "cancelled", "pending"]
START_EPOCH = 1_672_531_200  # 2023-01-01T00:00:00Z

SCHEMA = """
CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT NOT NULL, email TEXT NOT NULL, segment TEXT NOT NULL);
CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL, status TEXT NOT NULL,
                     total_cents INTEGER NOT NULL, created_at TEXT NOT NULL);
CREATE VIEW customer_stats AS
    SELECT customer_id,
           COUNT(*) AS orders_count,
           SUM(CASE WHEN status IN ('paid', 'fulfilled') THEN total_cents ELSE 0 END) AS lifetime_value_cents,
           MAX(created_at) AS last_order_at
    FROM orders WHERE status <> 'cancelled' GROUP BY customer_id;
"""


def fill(conn: sqlite3.Connection, params: dict, seed: int) -> None:
    rng = random.Random(seed)
    customers, orders = params["customers"], params["orders"]
    conn.executescript(SCHEMA)
    rows = []
    for cid in range(1, customers + 1):
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        rows.append((cid, name, f"{name.split()[0].lower()}.{cid}@example.com", rng.choice(SEGMENTS)))
    conn.executemany("INSERT INTO customers VALUES (?, ?, ?, ?)", rows)
    conn.execute("CREATE INDEX customers_segment_name ON customers (segment, name)")
    s = [rng.randrange(1, 2**31 - 1) for _ in range(3)]
    span_s = params["days"] * 86_400
    statuses = " ".join(f"WHEN {i} THEN '{st}'" for i, st in enumerate(STATUSES))
    # Customers buy unevenly (the product of two uniform draws favours low ids); some never bought.
    conn.execute(f"""
        WITH RECURSIVE seq(y) AS (SELECT 1 UNION ALL SELECT y + 1 FROM seq WHERE y < {orders})
        INSERT INTO orders (id, customer_id, status, total_cents, created_at)
        SELECT y, 1 + (h1 % 1000) * (h1 / 1000 % 1000) * {int(customers * 0.9)} / 1000000,
               CASE h2 % {len(STATUSES)} {statuses} END, 1000 + h3 % 250000,
               datetime({START_EPOCH} + (y - 1) * {span_s} / {orders}, 'unixepoch')
        FROM (SELECT y, {mix('y', s[0])} AS h1, {mix('y', s[1])} AS h2, {mix('y', s[2])} AS h3 FROM seq)""")
    conn.execute("CREATE INDEX orders_customer ON orders (customer_id)")
    conn.commit()


def build(spec, tier, seed: int) -> World:
    params = {"customers": tier.params["customers"], "orders": tier.size, "days": tier.params["days"]}
    share = (spec.id, tier.name, seed, tuple(sorted(params.items())))  # filled once, page-copied after
    salt = random.Random(f"{spec.id}:{tier.name}:{seed}").getrandbits(64)
    db, _ = loaded_database(spec.platform["db"], shared_load(share, lambda conn: fill(conn, params, salt)))
    rng = random.Random(f"{spec.id}:{tier.name}:{seed}:requests")
    per_page = 50
    last_page = max(1, params["customers"] // len(SEGMENTS) // per_page)
    requests = [Request({"segment": rng.choice(SEGMENTS), "page": rng.choice([1, 1, 1, 2, 3, last_page + 1]),
                         "per_page": per_page}) for _ in range(tier.requests)]
    return World(db.clock, {"db": db}, requests)
