"""A shop's product-analytics event log (view, cart, purchase) over two weeks: many shoppers with a few events
each, and one synthetic monitoring user that browses and carts around the clock; analysts ask for the funnel
of a week."""
import random
import sqlite3

from scaleblind.platforms.database import loaded_database
from scaleblind.platforms.database_writes import shared_load
from scaleblind.platforms.world import Request, World

START = 1_748_736_000  # 2025-06-01T00:00:00Z
DAY = 86_400
WEEK = 7 * DAY
MONITOR = 1            # the synthetic monitor's user id

SCHEMA = """
CREATE TABLE events (id INTEGER PRIMARY KEY, user_id INTEGER NOT NULL, ts INTEGER NOT NULL, name TEXT NOT NULL);
"""


def shopper_events(user: int, rng: random.Random) -> list[tuple]:
    """1 to 3 visits over the two weeks; a visit views products, may add to cart, may buy, sometimes a day or
    more later (outside the 24-hour window), sometimes carting before any view in the period."""
    events, used = [], set()
    for _ in range(1 + int(rng.random() ** 2 * 3)):
        t = START + rng.randrange(2 * WEEK - 3 * 3600)
        steps = [("view", 0)] + [("view", rng.randrange(10, 600)) for _ in range(int(rng.random() * 3))]
        r = rng.random()
        if r < 0.45:
            steps.append(("cart", rng.randrange(30, 1800)))
            if rng.random() < 0.55:
                steps.append(("purchase", rng.choice([rng.randrange(60, 3600), rng.randrange(20 * 3600, 30 * 3600)])))
        elif r < 0.5:
            steps = [("cart", 0), ("purchase", rng.randrange(60, 900)), ("view", rng.randrange(900, 1800))]
        for name, delay in steps:
            t += delay
            while t in used:           # a user's events have distinct timestamps
                t += 1
            used.add(t)
            events.append((user, t, name))
    return events


def monitor_events(per_week: int, rng: random.Random) -> list[tuple]:
    """The synthetic monitor, every week: three days of view + purchase (test orders through the API, no
    cart), then four days of view + cart; it never completes view -> cart -> purchase in order."""
    events = []
    for week in range(2):
        base = START + week * WEEK
        for k in range(per_week):
            t = base + k * WEEK // per_week + rng.randrange(3)
            first_phase = t - base < 3 * DAY
            name = "view" if k % 2 == 0 else ("purchase" if first_phase else "cart")
            events.append((MONITOR, t, name))
    return events


def fill(conn: sqlite3.Connection, params: dict, seed: int) -> None:
    rng = random.Random(seed)
    events = monitor_events(params["monitor_per_week"], rng)
    for user in range(2, params["users"] + 2):
        events += shopper_events(user, rng)
    events.sort(key=lambda e: e[1])
    conn.executescript(SCHEMA)
    conn.executemany("INSERT INTO events (user_id, ts, name) VALUES (?, ?, ?)", events)
    conn.execute("CREATE INDEX events_ts ON events (ts)")
    conn.commit()


def build(spec, tier, seed: int) -> World:
    params = {"users": tier.size, "monitor_per_week": tier.params["monitor_per_week"]}
    share = (spec.id, tier.name, seed, tuple(sorted(params.items())))  # filled once, page-copied after
    salt = random.Random(f"{spec.id}:{tier.name}:{seed}").getrandbits(64)
    db, _ = loaded_database(spec.platform["db"], shared_load(share, lambda conn: fill(conn, params, salt)))
    weeks = [(START + WEEK, START + 2 * WEEK), (START, START + WEEK)]  # this week, then last week
    requests = [Request({"start": start, "end": end}) for start, end in weeks[:tier.requests]]
    return World(db.clock, {"db": db}, requests)
