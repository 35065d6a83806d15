"""An API platform's request log for one day (one integration partner sends most of the traffic), and the
usage dashboards customers open."""
import random
import sqlite3

from scaleblind.platforms.database import loaded_database
from scaleblind.platforms.database_writes import shared_load
from scaleblind.platforms.generate import sql_mix as mix
from scaleblind.platforms.world import Request, World

DAY, OTHER_DAY = "2025-06-12", "2025-06-11"
DAY_EPOCH = 1_749_686_400  # 2025-06-12T00:00:00Z
ENDPOINTS = ["GET /v1/orders", "GET /v1/orders/{id}", "POST /v1/orders", "GET /v1/products",
             "GET /v1/products/{id}", "PATCH /v1/products/{id}", "GET /v1/customers", "POST /v1/customers",
             "GET /v1/inventory", "POST /v1/inventory/adjust", "GET /v1/shipments", "POST /v1/shipments",
             "POST /v1/refunds", "GET /v1/webhooks", "POST /v1/webhooks", "DELETE /v1/webhooks/{id}",
             "GET /v1/reports/sales", "POST /v1/auth/token", "GET /v1/locations", "POST /v1/batch"]
BIG = 1  # the integration partner's account

SCHEMA = """
CREATE TABLE request_log (id INTEGER PRIMARY KEY, account_id INTEGER NOT NULL, day TEXT NOT NULL,
                          requested_at TEXT NOT NULL, endpoint TEXT NOT NULL, status INTEGER NOT NULL,
                          duration_ms INTEGER NOT NULL);
"""


def endpoint_sql(h: str) -> str:
    """A Zipf-like pick: low endpoint numbers (list reads) are called far more than the rest."""
    whens = " ".join(f"WHEN {i} THEN '{e}'" for i, e in enumerate(ENDPOINTS))
    return f"CASE ({h} % 1000) * ({h} / 1000 % 1000) * {len(ENDPOINTS)} / 1000000 {whens} END"


def fill(conn: sqlite3.Connection, params: dict, seed: int) -> None:
    rng = random.Random(seed)
    accounts, rows, big = params["accounts"], params["rows"], params["big_rows"]
    conn.executescript(SCHEMA)
    s = [rng.randrange(1, 2**31 - 1) for _ in range(4)]
    # Row y: the big account for y <= big, else a hashed other account (2..accounts, skewed to low ids).
    # Durations: a base per endpoint (its position) times a long-tailed factor; errors are slow too.
    conn.execute(f"""
        WITH RECURSIVE seq(y) AS (SELECT 1 UNION ALL SELECT y + 1 FROM seq WHERE y < {rows})
        INSERT INTO request_log (id, account_id, day, requested_at, endpoint, status, duration_ms)
        SELECT y, account, '{DAY}', datetime({DAY_EPOCH} + h2 % 86400, 'unixepoch'), endpoint,
               CASE WHEN h3 % 200 = 0 THEN 503 WHEN h3 % 200 < 5 THEN 429 WHEN h3 % 200 < 9 THEN 404 ELSE 200 END,
               (20 + length(endpoint) * 3) * (100 + (h4 % 100) * (h4 % 100) * (h4 / 100 % 100) / 400) / 100
               + CASE WHEN h3 % 200 = 0 THEN 5000 ELSE 0 END
        FROM (SELECT y, h2, h3, h4, {endpoint_sql('h1')} AS endpoint,
                     CASE WHEN y <= {big} THEN {BIG}
                          ELSE 2 + (h3 % 1000) * (h3 / 1000 % 1000) * {accounts - 1} / 1000000 END AS account
              FROM (SELECT y, {mix('y', s[0])} AS h1, {mix('y', s[1])} AS h2, {mix('y', s[2])} AS h3,
                           {mix('y', s[3])} AS h4 FROM seq))""")
    conn.execute("CREATE INDEX request_log_report ON request_log (account_id, day, endpoint, duration_ms)")
    conn.commit()


def build(spec, tier, seed: int) -> World:
    params = {"accounts": tier.params["accounts"], "rows": tier.size, "big_rows": tier.params["big_rows"]}
    share = (spec.id, tier.name, seed, tuple(sorted(params.items())))  # filled once, page-copied after
    salt = random.Random(f"{spec.id}:{tier.name}:{seed}").getrandbits(64)
    db, _ = loaded_database(spec.platform["db"], shared_load(share, lambda conn: fill(conn, params, salt)))
    rng = random.Random(f"{spec.id}:{tier.name}:{seed}:requests")
    accounts = [BIG] * 3 + [2 + int(rng.random() ** 2 * (params["accounts"] - 1)) for _ in range(tier.requests - 4)]
    rng.shuffle(accounts)
    requests = [Request({"account_id": a, "day": DAY}) for a in accounts]
    requests.insert(tier.requests // 2, Request({"account_id": BIG, "day": OTHER_DAY}))  # a day with no log
    return World(db.clock, {"db": db}, requests)
