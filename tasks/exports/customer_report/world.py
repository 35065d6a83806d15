"""A shop's customers and orders in SQL, and the customer-success team's lifetime-value report runs."""
import random
from datetime import date, timedelta

from scaleblind.platforms.database import loaded_database
from scaleblind.platforms.sink import SinkSimulator, canonical_csv
from scaleblind.platforms.world import Request, World

START = date(2024, 1, 1)
DAYS = 731
DAY_TEXT = [(START + timedelta(days=d)).isoformat() for d in range(DAYS + 1)]
CLOCK = [f"T{m // 60:02d}:{m % 60:02d}:00Z" for m in range(1440)]
FIRST = ["Ana", "Ben", "Chloé", "Dmitri", "Emeka", "Fatima", "Gus", "Hana", "Ivan", "Jo", "Kwame", "Lena"]
LAST = ["Smith", "García", "O'Brien", "Nguyen", "Müller", "Okafor", "Rossi", "Kowalski", "Tanaka", "Silva"]
COMPANIES = ['Smith, Jones & Co', 'Acme "Rockets" Ltd', "Bäckerei Ost", "Nordic Design, AB"]
COUNTRIES = ["US", "GB", "DE", "FR", "NG", "JP", "BR", "PL", "IT", "IE"]
STATUSES = ["paid"] * 7 + ["refunded", "cancelled", "pending"]

SCHEMA = """
CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT NOT NULL, email TEXT NOT NULL, country TEXT NOT NULL);
CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL, placed_at TEXT NOT NULL,
                     status TEXT NOT NULL, total_cents INTEGER NOT NULL);
"""
INDEXES = """
CREATE INDEX orders_customer ON orders (customer_id, status, placed_at, total_cents);
CREATE INDEX customers_country ON customers (country, id);
"""


def generate(tier, rng: random.Random):
    n_customers, n_orders = tier.params["customers"], tier.size
    rand = rng.random
    customers = [(cid, COMPANIES[cid % len(COMPANIES)] if cid % 17 == 0
                  else f"{FIRST[int(rand() * len(FIRST))]} {LAST[int(rand() * len(LAST))]}",
                  f"customer{cid}@example.com", COUNTRIES[int(rand() * len(COUNTRIES))])
                 for cid in range(1, n_customers + 1)]
    minutes = sorted(int((rand() ** 0.5) * DAYS * 1440) for _ in range(n_orders))
    # Repeat buyers are common (low ids buy most); some customers never completed an order.
    orders = [(oid, int(rand() ** 2 * n_customers * 0.9) + 1, DAY_TEXT[m // 1440] + CLOCK[m % 1440],
               STATUSES[int(rand() * len(STATUSES))], 500 + int(rand() * 45000))
              for oid, m in enumerate(minutes, start=1)]
    return customers, orders


def build(spec, tier, seed: int) -> World:
    rng = random.Random(f"{spec.id}:{tier.name}:{seed}")
    customers, orders = generate(tier, rng)

    def fill(conn) -> None:
        conn.executescript(SCHEMA)
        conn.executemany("INSERT INTO customers VALUES (?, ?, ?, ?)", customers)
        conn.executemany("INSERT INTO orders VALUES (?, ?, ?, ?, ?)", orders)
        conn.executescript(INDEXES)
        conn.execute("ANALYZE")

    db, _ = loaded_database(spec.platform["db"], fill)
    clock = db.clock
    out = SinkSimulator(clock, per_write_ms=spec.platform["out"]["per_write_ms"])
    requests = [Request({"country": None}), Request({"country": "DE"})][:tier.requests]
    return World(clock, {"db": db, "out": out}, requests)


def normalize(output):
    if isinstance(output, dict) and isinstance(output.get("out"), str):
        return {**output, "out": canonical_csv(output["out"])}
    return output
