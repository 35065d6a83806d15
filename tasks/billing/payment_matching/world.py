"""Open invoices in SQL and the nightly bank files whose payments must be matched to them.

An ordinary customer has a few open invoices and pays some of them, now and then short by a bank fee. One
marketplace customer is invoiced per order: tens of thousands of open invoices over a few dozen amounts
(price points times quantities), and a bank file pays most of them, many short by the card processor's fee.
"""
import datetime
import random

from scaleblind.platforms.database import loaded_database
from scaleblind.platforms.database_writes import shared_load
from scaleblind.platforms.world import Request, World

PRICE_POINTS = [999, 1499, 1999, 2499, 4999, 9999]
START_DAY = 738_000  # a proleptic Gregorian ordinal (2021-07-22); due dates run over the next 120 days

SCHEMA = """
CREATE TABLE invoices (id INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL, amount_cents INTEGER NOT NULL,
                       due_date TEXT NOT NULL, status TEXT NOT NULL);
CREATE INDEX invoices_customer ON invoices (customer_id, status);
"""


def day(offset: int) -> str:
    return datetime.date.fromordinal(START_DAY + offset).isoformat()


def invoices(rng: random.Random, customers: int, heavy: int, heavy_invoices: int) -> list[tuple]:
    """(customer_id, amount_cents, due_date, status) rows: a few per ordinary customer, many for `heavy`.
    One 64-bit draw per invoice keeps the growth tier fast to make."""
    days = [day(d) for d in range(120)]
    rows = []
    for customer in range(1, customers + 1):
        for _ in range(heavy_invoices if customer == heavy else 1 + rng.getrandbits(16) % 5):
            bits = rng.getrandbits(64)
            if customer == heavy:
                amount = PRICE_POINTS[bits % 6] * (1 + bits // 6 % 5) + 499 * (bits // 30 % 2)
            else:
                amount = 5_000 + bits % 495_000
            rows.append((customer, amount, days[(bits >> 32) % 120], "open" if (bits >> 48) % 5 else "paid"))
    return rows


def load(conn, rows: list[tuple]) -> list[tuple]:
    conn.executescript(SCHEMA)
    conn.executemany("INSERT INTO invoices (customer_id, amount_cents, due_date, status) VALUES (?, ?, ?, ?)", rows)
    return conn.execute("SELECT customer_id, amount_cents FROM invoices WHERE status = 'open'").fetchall()


def bank_file(rng: random.Random, number: int, open_invoices: list[tuple], customers: int, heavy: int,
              size: int, heavy_payments: int) -> list[dict]:
    """Payments against open invoices (exact, or short by a fee of up to 0.8%), plus some that match nothing."""
    ordinary = [row for row in open_invoices if row[0] != heavy]
    mine = [row for row in open_invoices if row[0] == heavy]
    chosen = rng.sample(ordinary, min(len(ordinary), size)) + rng.sample(mine, min(len(mine), heavy_payments))
    payments, rand = [], rng.random
    for customer, amount in chosen:
        kind = rand()
        if kind < 0.55:
            paid = amount
        elif kind < 0.9:
            paid = amount - amount * (1 + int(rand() * 8)) // 1000      # short by a fee of up to 0.8%
        elif kind < 0.95:
            paid = amount + amount * (1 + int(rand() * 8)) // 1000      # a little over
        else:
            paid = amount * (2 + int(rand() * 2)) // 5                  # a partial payment: no match
        payments.append((customer, paid))
    for _ in range(max(1, size // 20)):                                 # customers with nothing open
        payments.append((rng.randint(customers + 1, customers * 2), rng.randrange(5_000, 500_000)))
    rng.shuffle(payments)
    date = day(120 + number)
    return [{"id": f"PMT-{number}-{i:06d}", "customer_id": c, "amount_cents": a, "date": date}
            for i, (c, a) in enumerate(payments, 1)]


def build(spec, tier, seed: int) -> World:
    params = tier.params
    key = f"{spec.id}:{tier.name}:{seed}"
    customers, heavy = tier.size, params["heavy_customer"]

    def fill(conn) -> list[tuple]:
        return load(conn, invoices(random.Random(key), customers, heavy, params["heavy_invoices"]))

    db, open_invoices = loaded_database(spec.platform["db"], shared_load((spec.id, tier.name, seed), fill))
    rng = random.Random(f"{key}:files")
    requests = [Request({"payments": bank_file(rng, n, open_invoices, customers, heavy, params["payments"],
                                               params["heavy_payments"])}) for n in range(1, tier.requests + 1)]
    return World(db.clock, {"db": db}, requests)
