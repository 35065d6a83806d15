"""A payment platform's append-only ledger: thousands of merchants, one marketplace holding most of the entries,
and new entries written between the balance requests (the marketplace's among them)."""
import random
import sqlite3
from functools import lru_cache

from scaleblind.platforms.database_writes import edited_database
from scaleblind.platforms.world import Request, World

GIANT = 1
START = 1_735_689_600  # 2025-01-01T00:00:00Z
KINDS = ["charge", "charge", "charge", "fee", "refund", "payout", "adjustment"]

SCHEMA = """
CREATE TABLE merchants (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
CREATE TABLE ledger_entries (id INTEGER PRIMARY KEY, merchant_id INTEGER NOT NULL REFERENCES merchants (id),
                             kind TEXT NOT NULL, amount_cents INTEGER NOT NULL, created_at INTEGER NOT NULL);
"""


def kind_case(h: str) -> str:
    whens = " ".join(f"WHEN {i} THEN '{kind}'" for i, kind in enumerate(KINDS))
    return f"CASE {h} % {len(KINDS)} {whens} END"


def amount(h: str, kind: str) -> str:
    """Charges positive, fees, refunds and payouts negative, adjustments either way."""
    return (f"CASE {kind} WHEN 'charge' THEN 100 + {h} % 50000 WHEN 'fee' THEN -(30 + {h} % 900) "
            f"WHEN 'refund' THEN -(100 + {h} % 20000) WHEN 'payout' THEN -(1000 + {h} % 200000) "
            f"ELSE {h} % 2001 - 1000 END")


def fill(conn: sqlite3.Connection, entries: int, merchants: int, giant_percent: int, seed: int) -> None:
    salt = random.Random(seed).randrange(1, 2**31)
    conn.executescript(SCHEMA)
    conn.executemany("INSERT INTO merchants VALUES (?, ?)",
                     [(1, "Bazaar Marketplace")] + [(i, f"Merchant {i}") for i in range(2, merchants + 1)])
    conn.execute(f"""
        WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < {entries})
        INSERT INTO ledger_entries
        SELECT i, m, k, {amount('h', 'k')}, {START} + i * 37 FROM (
            SELECT i, h, {kind_case('(h / 7)')} AS k,
                   CASE WHEN h % 100 < {giant_percent} THEN {GIANT}
                        ELSE 2 + (h / 100 % 1000) * (h / 100000 % 1000) * {merchants - 1} / 1000000 END AS m
            FROM (SELECT i, (i * 2654435761 + {salt}) % 4294967296 AS h FROM seq))""")
    conn.execute("CREATE INDEX ledger_merchant ON ledger_entries (merchant_id, id)")
    conn.commit()


@lru_cache(maxsize=1)
def source(task_id: str, tier_name: str, seed: int, params: tuple) -> sqlite3.Connection:
    """The ledger as loaded, kept so the driver's second build of the same world is a page copy."""
    conn = sqlite3.connect(":memory:", check_same_thread=False)
    fill(conn, *params, random.Random(f"{task_id}:{tier_name}:{seed}").getrandbits(64))
    return conn


def new_entries(rng: random.Random, merchant: int, count: int, at: int) -> tuple[str, list]:
    """One statement appending `count` entries of a merchant (ids continue from the highest)."""
    rows = []
    for _ in range(count):
        kind = rng.choice(KINDS)
        value = {"charge": rng.randint(100, 50_000), "fee": -rng.randint(30, 930), "refund": -rng.randint(100, 20_100),
                 "payout": -rng.randint(1000, 201_000)}.get(kind, rng.randint(-1000, 1000))
        rows += [merchant, kind, value, at]
    marks = ", ".join(["(?, ?, ?, ?)"] * count)
    return (f"INSERT INTO ledger_entries (merchant_id, kind, amount_cents, created_at) VALUES {marks}", rows)


def build(spec, tier, seed: int) -> World:
    p = tier.params
    merchants = p["merchants"]
    filled = source(spec.id, tier.name, seed, (tier.size, merchants, p["giant_percent"]))
    rng = random.Random(f"{spec.id}:{tier.name}:{seed}:requests")
    asked = [GIANT] * p["giant_requests"]
    asked += [2 + int(rng.random() ** 2 * (merchants - 1)) for _ in range(tier.requests - len(asked))]
    rng.shuffle(asked)
    # Before every request but the first, the ledger grows: the marketplace's sales, a few other merchants'
    # entries, and now and then an entry of the very merchant about to be asked.
    edits: dict[int, list[tuple[str, list]]] = {}
    at = START + tier.size * 37
    for index in range(1, tier.requests):
        at += 60
        batch = [new_entries(rng, GIANT, rng.randint(1, p["giant_new"]), at)]
        for _ in range(rng.randint(1, 4)):
            batch.append(new_entries(rng, 2 + rng.randrange(merchants - 1), rng.randint(1, 3), at))
        if rng.random() < 0.5:
            batch.append(new_entries(rng, asked[index], rng.randint(1, 3), at))
        edits[index] = batch
    db, _ = edited_database(spec.platform["db"], filled.backup, edits)
    return World(db.clock, {"db": db}, [Request({"merchant_id": merchant}) for merchant in asked])
