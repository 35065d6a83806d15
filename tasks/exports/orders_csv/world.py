"""A shop's customers and orders in SQL, and the finance team's CSV export runs."""
import random
from datetime import date, timedelta

from scaleblind.platforms.database import loaded_database
from scaleblind.platforms.sink import SinkSimulator, canonical_csv
from scaleblind.platforms.world import Request, World

START = date(2024, 1, 1)
DAYS = 731  # two years of trading: 2024-01-01 .. 2025-12-31
DAY_TEXT = [(START + timedelta(days=d)).isoformat() for d in range(DAYS + 1)]
CLOCK = [f"T{m // 60:02d}:{m % 60:02d}:00Z" for m in range(1440)]
FIRST = ["Ana", "Ben", "Chloé", "Dmitri", "Emeka", "Fatima", "Gus", "Hana", "Ivan", "Jo", "Kwame", "Lena"]
LAST = ["Smith", "García", "O'Brien", "Nguyen", "Müller", "Okafor", "Rossi", "Kowalski", "Tanaka", "Silva"]
COMPANIES = ['Smith, Jones & Co', 'Acme "Rockets" Ltd', "Bäckerei Ost", "Nordic Design, AB"]
COUNTRIES = ["US", "GB", "DE", "FR", "NG", "JP", "BR", "PL", "IT", "IE"]
CURRENCY = {"US": "USD", "GB": "GBP", "DE": "EUR", "FR": "EUR", "NG": "NGN", "JP": "JPY", "BR": "BRL",
            "PL": "PLN", "IT": "EUR", "IE": "EUR"}
STREETS = ["High Street", "Main St", "Rue de la Paix", "Hauptstraße", "Via Roma", "Baker Street", "Ulica Długa"]
CITIES = ["Springfield", "London", "Paris", "Berlin", "Lagos", "Osaka", "São Paulo", "Kraków", "Milan", "Cork"]
ITEMS = [1 + int((i / 64) ** 3 * 12) for i in range(64)]
STATUSES = ["paid"] * 7 + ["refunded", "cancelled", "pending"]
HEADER = ["order_id", "placed_at", "status", "customer_name", "customer_email", "country", "billing_address",
          "items", "total", "currency"]

SCHEMA = """
CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT NOT NULL, email TEXT NOT NULL, country TEXT NOT NULL);
CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL, placed_at TEXT NOT NULL,
                     status TEXT NOT NULL, billing_address TEXT NOT NULL, items INTEGER NOT NULL,
                     total_cents INTEGER NOT NULL, currency TEXT NOT NULL);
"""
INDEXES = """
CREATE INDEX orders_placed ON orders (placed_at);
"""


def generate(tier, rng: random.Random):
    n_customers, n_orders = tier.params["customers"], tier.size
    rand = rng.random
    customers = []
    for cid in range(1, n_customers + 1):
        name = (COMPANIES[cid % len(COMPANIES)] if cid % 17 == 0
                else f"{FIRST[int(rand() * len(FIRST))]} {LAST[int(rand() * len(LAST))]}")
        customers.append((cid, name, f"customer{cid}@example.com", COUNTRIES[int(rand() * len(COUNTRIES))]))
    country = [None] + [c[3] for c in customers]
    # Business grows: later days have more orders (density ~ day), so recent exports are the big ones.
    minutes = sorted(int((rand() ** 0.5) * DAYS * 1440) for _ in range(n_orders))
    buyers = [int(rand() ** 2 * n_customers) + 1 for _ in range(n_orders)]  # repeat buyers are common
    addresses = [f"{1 + int(rand() * 250)} {STREETS[int(rand() * len(STREETS))]}, "
                 f"{CITIES[int(rand() * len(CITIES))]} {10000 + int(rand() * 89999)}" for _ in range(4096)]
    bits = rng.getrandbits
    orders = []
    for oid, m in enumerate(minutes, start=1):
        r = bits(40)  # one draw, split: status, items (skewed to 1-3), total, billing-address variant
        buyer = buyers[oid - 1]
        orders.append((oid, buyer, DAY_TEXT[m // 1440] + CLOCK[m % 1440], STATUSES[r % 10],
                       addresses[(buyer * 31 + (r >> 4) % 3 // 2) % 4096], ITEMS[(r >> 8) % 64],
                       500 + (r >> 14) % 45000, CURRENCY[country[buyer]]))
    return customers, orders


def build(spec, tier, seed: int) -> World:
    rng = random.Random(f"{spec.id}:{tier.name}:{seed}")
    customers, orders = generate(tier, rng)

    def fill(conn) -> None:
        conn.executescript(SCHEMA)
        conn.executemany("INSERT INTO customers VALUES (?, ?, ?, ?)", customers)
        conn.executemany("INSERT INTO orders VALUES (?, ?, ?, ?, ?, ?, ?, ?)", orders)
        conn.executescript(INDEXES)

    db, _ = loaded_database(spec.platform["db"], fill)
    clock = db.clock
    out = SinkSimulator(clock, per_write_ms=spec.platform["out"]["per_write_ms"])
    ranges = [("2024-01-01", "2026-01-01"),   # the auditors' full export
              ("2025-12-01", "2026-01-01")]   # the month-end close
    requests = [Request({"since": since, "until": until}) for since, until in ranges[:tier.requests]]
    return World(clock, {"db": db, "out": out}, requests)


def normalize(output):
    if isinstance(output, dict) and isinstance(output.get("out"), str):
        return {**output, "out": canonical_csv(output["out"])}
    return output
