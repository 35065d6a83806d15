"""Our catalog (SQL) and the supplier's product feed (a paginated API, in SKU order): the same SKUs mostly,
some new on the supplier's side, some gone, some with a new price or stock; and the nightly sync job."""
import random
import sqlite3
from functools import lru_cache

from scaleblind.platforms.api import ApiConfig, ApiSimulator
from scaleblind.platforms.database import loaded_database
from scaleblind.platforms.generate import sql_mix as mix
from scaleblind.platforms.sink import SinkSimulator, canonical_csv
from scaleblind.platforms.world import Request, World

FAMILIES = ["BAG", "BOTL", "CAP", "HOOD", "MUG", "NOTE", "PIN", "POST", "SOCK", "TEE"]
ADJ = ["Organic", "Classic", "Slim", "Merino", "Recycled", "Vintage", "Waterproof", "Linen", "Everyday"]
PAGE_SIZE = 1000


def fill(params: dict, seed: int) -> sqlite3.Connection:
    """Both sides from one universe of SKUs: ~3% only in the feed (new), ~3% only in the catalog (gone);
    of the rest, ~6% have a new price and ~5% a new stock level in the feed. The catalog is the main
    database (copied into each world); the feed is an attached one that only the API endpoint reads."""
    rng = random.Random(seed)
    s = [rng.randrange(1, 2**31 - 1) for _ in range(4)]
    families = " ".join(f"WHEN {i} THEN '{f}'" for i, f in enumerate(FAMILIES))
    adjectives = " ".join(f"WHEN {i} THEN '{a}'" for i, a in enumerate(ADJ))
    conn = sqlite3.connect(":memory:", check_same_thread=False)
    conn.execute("ATTACH DATABASE ':memory:' AS supplier")
    conn.execute(f"""
        CREATE TEMP TABLE universe AS
        WITH RECURSIVE seq(y) AS (SELECT 1 UNION ALL SELECT y + 1 FROM seq WHERE y < {params['skus']})
        SELECT (CASE h1 % {len(FAMILIES)} {families} END) || printf('-%07d', y) AS sku, h2, h3, h4
        FROM (SELECT y, {mix('y', s[0])} AS h1, {mix('y', s[1])} AS h2, {mix('y', s[2])} AS h3,
                     {mix('y', s[3])} AS h4 FROM seq)""")
    conn.execute("CREATE TABLE products (sku TEXT PRIMARY KEY, title TEXT NOT NULL, price_cents INTEGER NOT NULL, "
                 "stock INTEGER NOT NULL) WITHOUT ROWID")
    conn.execute(f"""
        INSERT INTO products SELECT sku, (CASE h3 % {len(ADJ)} {adjectives} END) || ' ' || sku,
                                    500 + h3 % 20000, h3 / 20000 % 200
        FROM universe WHERE h2 % 100 >= 3 ORDER BY sku""")
    conn.execute("CREATE TABLE supplier.feed (sku TEXT PRIMARY KEY, price_cents INTEGER NOT NULL, "
                 "stock INTEGER NOT NULL) WITHOUT ROWID")
    conn.execute(f"""
        INSERT INTO supplier.feed SELECT sku,
               500 + h3 % 20000 + CASE WHEN h4 % 100 < 6 THEN (h4 / 100 % 21 - 10) * 50 + 25 ELSE 0 END,
               CASE WHEN h4 / 10000 % 100 < 5 THEN h4 / 1000000 % 200 ELSE h3 / 20000 % 200 END
        FROM universe WHERE h2 / 100 % 100 >= 3 ORDER BY sku""")
    conn.execute("DROP TABLE temp.universe")
    conn.commit()
    return conn


@lru_cache(maxsize=1)
def source(task_id: str, tier_name: str, seed: int, skus: int) -> sqlite3.Connection:
    """The filled catalog and feed, kept so the driver's second build of the same world is a page copy."""
    return fill({"skus": skus}, random.Random(f"{task_id}:{tier_name}:{seed}").getrandbits(64))


def endpoints(feed: sqlite3.Connection) -> dict:
    def feed_page(cursor: str | None = None) -> dict:
        rows = feed.execute("SELECT sku, price_cents, stock FROM supplier.feed WHERE sku > ? ORDER BY sku LIMIT ?",
                            (cursor or "", PAGE_SIZE + 1)).fetchall()
        items = [{"sku": sku, "price_cents": price, "stock": stock} for sku, price, stock in rows[:PAGE_SIZE]]
        return {"items": items, "next_cursor": items[-1]["sku"] if len(rows) > PAGE_SIZE else None}

    return {"feed_page": feed_page}


def build(spec, tier, seed: int) -> World:
    filled = source(spec.id, tier.name, seed, tier.size)
    db, _ = loaded_database(spec.platform["db"], filled.backup)  # copies the main database: the catalog only
    api = ApiSimulator(db.clock, endpoints(filled), ApiConfig.from_spec(spec.platform["api"]))
    out = SinkSimulator(db.clock, per_write_ms=spec.platform["out"]["per_write_ms"])
    return World(db.clock, {"db": db, "api": api, "out": out}, [Request({}) for _ in range(tier.requests)])


def normalize(output):
    """CSV compared by value (quoting and line endings may differ)."""
    if isinstance(output, dict) and isinstance(output.get("out"), str):
        return {**output, "out": canonical_csv(output["out"])}
    return output
