"""Two years of a shop's orders, the nightly daily_sales rollup, and the dashboard's sales-tile requests."""
import random
from datetime import datetime, timedelta

from scaleblind.platforms.database import loaded_database
from scaleblind.platforms.generate import PRIME, sql_mix as mix
from scaleblind.platforms.world import Request, World

EPOCH = datetime(1970, 1, 1)

SCHEMA = """
CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL, status TEXT NOT NULL,
                     created_at TEXT NOT NULL, total_cents INTEGER NOT NULL);
CREATE TABLE daily_sales (day TEXT PRIMARY KEY, orders INTEGER NOT NULL, revenue_cents INTEGER NOT NULL);
"""
# 20 equal buckets: 4 in 20 orders are still pending, 1 in 20 is cancelled (excluded from sales).
STATUS_BUCKETS = ["pending"] * 4 + ["paid"] * 5 + ["fulfilled"] * 10 + ["cancelled"]


def load(conn, tier, rng: random.Random) -> str:
    """Load the orders and the rollup of every complete day; return the last day of data (today)."""
    n_orders, days = tier.size, tier.params["days"]
    first_day = datetime.fromisoformat(tier.params["first_day"])
    start_s = int((first_day - EPOCH).total_seconds())
    span_s = days * 86_400
    salt = rng.randrange(1, PRIME)
    cases = " ".join(f"WHEN {i} THEN '{st}'" for i, st in enumerate(STATUS_BUCKETS))
    conn.executescript(SCHEMA)
    # Orders spread evenly over the days (order x at (x - 1) * span / n plus a jitter inside its slot).
    conn.execute(f"""
        WITH RECURSIVE seq(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM seq WHERE x < {n_orders})
        INSERT INTO orders (id, customer_id, status, created_at, total_cents)
        SELECT x, 1 + h % {max(1, n_orders // 4)}, CASE h % 20 {cases} END,
               datetime({start_s} + (x - 1) * {span_s} / {n_orders} + h % ({span_s // n_orders + 1}), 'unixepoch'),
               1500 + (h >> 8) % 400 * 50 + (h >> 17) % 3 * (h >> 19) % 9000
        FROM (SELECT x, {mix('x', salt)} AS h FROM seq)""")
    conn.execute("CREATE INDEX orders_created ON orders (created_at)")
    last_day = (first_day + timedelta(days=days - 1)).date().isoformat()
    # The nightly job has rolled up every complete day; today's orders are only in `orders`.
    conn.execute("""
        INSERT INTO daily_sales (day, orders, revenue_cents)
        SELECT substr(created_at, 1, 10), COUNT(*), SUM(total_cents) FROM orders
        WHERE status != 'cancelled' AND created_at < ? GROUP BY 1""", [last_day])
    return last_day


def build(spec, tier, seed: int) -> World:
    rng = random.Random(f"{spec.id}:{tier.name}:{seed}")
    db, loaded = loaded_database(spec.platform["db"], lambda conn: load(conn, tier, rng))
    clock = db.clock
    last_day = datetime.fromisoformat(loaded)
    # The tile is viewed at moments of the last weeks of data (the last at the end of the data, "now").
    recent = tier.params["recent_days"]
    moments = []
    for _ in range(tier.requests):
        moment = last_day - timedelta(days=rng.randrange(recent), seconds=rng.randrange(1, 86_400))
        moment += timedelta(days=1)
        if (moment.month, moment.day) == (2, 29):  # keep "the same moment last year" well defined
            moment -= timedelta(days=1)
        moments.append(moment.strftime("%Y-%m-%d %H:%M:%S"))
    return World(clock, {"db": db}, [Request({"as_of": m}) for m in moments])
