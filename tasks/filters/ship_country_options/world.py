"""A commerce platform's orders (one giant store, many small ones) with their shipping country, the table of
country names, and merchants opening the order list's country filter."""
import random
import sqlite3

from scaleblind.platforms.database import loaded_database
from scaleblind.platforms.database_writes import shared_load
from scaleblind.platforms.generate import sql_mix as mix
from scaleblind.platforms.world import Request, World

COUNTRIES = [("US", "United States"), ("CA", "Canada"), ("MX", "Mexico"), ("GB", "United Kingdom"),
             ("IE", "Ireland"), ("DE", "Germany"), ("AT", "Austria"), ("CH", "Switzerland"), ("FR", "France"),
             ("BE", "Belgium"), ("NL", "Netherlands"), ("LU", "Luxembourg"), ("ES", "Spain"), ("PT", "Portugal"),
             ("IT", "Italy"), ("DK", "Denmark"), ("SE", "Sweden"), ("NO", "Norway"), ("FI", "Finland"),
             ("IS", "Iceland"), ("PL", "Poland"), ("CZ", "Czechia"), ("SK", "Slovakia"), ("HU", "Hungary"),
             ("RO", "Romania"), ("BG", "Bulgaria"), ("GR", "Greece"), ("HR", "Croatia"), ("SI", "Slovenia"),
             ("EE", "Estonia"), ("LV", "Latvia"), ("LT", "Lithuania"), ("TR", "Türkiye"), ("IL", "Israel"),
             ("AE", "United Arab Emirates"), ("SA", "Saudi Arabia"), ("IN", "India"), ("SG", "Singapore"),
             ("MY", "Malaysia"), ("TH", "Thailand"), ("VN", "Viet Nam"), ("PH", "Philippines"), ("ID", "Indonesia"),
             ("JP", "Japan"), ("KR", "Korea, Republic of"), ("TW", "Taiwan"), ("HK", "Hong Kong"), ("CN", "China"),
             ("AU", "Australia"), ("NZ", "New Zealand"), ("BR", "Brazil"), ("AR", "Argentina"), ("CL", "Chile"),
             ("CO", "Colombia"), ("PE", "Peru"), ("ZA", "South Africa"), ("NG", "Nigeria"), ("KE", "Kenya"),
             ("EG", "Egypt"), ("MA", "Morocco")]
GIANT = 1

SCHEMA = """
CREATE TABLE countries (code TEXT PRIMARY KEY, name TEXT NOT NULL);
CREATE TABLE orders (id INTEGER PRIMARY KEY, store_id INTEGER NOT NULL, created_at INTEGER NOT NULL,
                     ship_country TEXT, total_cents INTEGER NOT NULL);
"""


def fill(conn: sqlite3.Connection, params: dict, seed: int) -> None:
    rng = random.Random(seed)
    stores, orders, giant = params["stores"], params["orders"], params["giant_orders"]
    conn.executescript(SCHEMA)
    conn.executemany("INSERT INTO countries VALUES (?, ?)", COUNTRIES)
    codes = "".join(code for code, _ in COUNTRIES)  # country k is substr(codes, 2k + 1, 2)
    s = [rng.randrange(1, 2**31 - 1) for _ in range(2)]
    # A store ships mostly home (its first country) and to a long tail: the product of two uniform draws picks
    # country k with a falling frequency; small stores reach few countries, the giant one most of them. One
    # order in 40 is digital (no shipping country).
    conn.execute(f"""
        WITH RECURSIVE seq(y) AS (SELECT 1 UNION ALL SELECT y + 1 FROM seq WHERE y < {orders})
        INSERT INTO orders (id, store_id, created_at, ship_country, total_cents)
        SELECT y, store, 1735689600 + y * 30,
               CASE WHEN h2 % 40 = 0 THEN NULL
                    ELSE substr('{codes}', 1 + 2 * ((store * 7 + (h2 / 40 % 1000) * (h2 / 40000 % 1000)
                                                          * {len(COUNTRIES)} / 1000000) % {len(COUNTRIES)}), 2) END,
               500 + h2 % 30000
        FROM (SELECT y, h2, CASE WHEN y % {orders} < {giant} THEN {GIANT}
                                     ELSE 2 + h1 % {stores - 1} END AS store
              FROM (SELECT y, {mix('y', s[0])} AS h1, {mix('y', s[1])} AS h2 FROM seq))""")
    conn.execute("CREATE INDEX orders_store_country ON orders (store_id, ship_country)")
    conn.commit()


def build(spec, tier, seed: int) -> World:
    params = {"stores": tier.params["stores"], "orders": tier.size, "giant_orders": tier.params["giant_orders"]}
    share = (spec.id, tier.name, seed, tuple(sorted(params.items())))  # filled once, page-copied after
    salt = random.Random(f"{spec.id}:{tier.name}:{seed}").getrandbits(64)
    db, _ = loaded_database(spec.platform["db"], shared_load(share, lambda conn: fill(conn, params, salt)))
    rng = random.Random(f"{spec.id}:{tier.name}:{seed}:requests")
    stores = [GIANT] * 3 + [rng.randrange(2, params["stores"] + 1) for _ in range(tier.requests - 4)]
    stores.append(params["stores"] + 1)  # a store that has no orders yet
    rng.shuffle(stores)
    return World(db.clock, {"db": db}, [Request({"store_id": store}) for store in stores])
