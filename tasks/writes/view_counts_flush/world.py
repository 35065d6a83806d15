"""A news site's pages with lifetime and daily view counters, and the page views its collector flushes once a
minute: popularity is heavy-tailed (a viral article takes a large share), and one flush crosses midnight.

Flushes are made when the driver sends them (ten of 150,000 views would not fit in memory twice)."""
import random

from scaleblind.platforms.database_writes import writable_database
from scaleblind.platforms.generate import GeneratedRequests
from scaleblind.platforms.world import Request, World

DAY = 86_400
START = 1_767_225_600 - 6 * 60 - 30  # the seventh flush crosses midnight (2026-01-01)
FLUSH_S = 60
FRONT_PAGE = 300  # articles linked from the front page, pages 2 to 301

SCHEMA = """
CREATE TABLE pages (id INTEGER PRIMARY KEY, path TEXT NOT NULL, view_count INTEGER NOT NULL);
CREATE TABLE page_daily_views (page_id INTEGER NOT NULL REFERENCES pages (id), day INTEGER NOT NULL,
                               views INTEGER NOT NULL, PRIMARY KEY (page_id, day));
"""
CHECKS = {
    "pages": "SELECT count(*), sum(view_count), sum(view_count * (id % 1000003) % 2147483647) FROM pages",
    "daily": "SELECT count(*), sum(views), sum(views * ((page_id * 31 + day) % 1000003) % 2147483647) "
             "FROM page_daily_views",
}


def load(conn, pages: int, salt: int) -> None:
    """Pages with their history: lifetime counts, and today's row for about half of them."""
    rng = random.Random(salt)
    conn.executescript(SCHEMA)
    conn.executemany("INSERT INTO pages VALUES (?, ?, ?)",
                     [(i, f"/articles/{i}", rng.randrange(100, 1_000_000)) for i in range(1, pages + 1)])
    today = START // DAY
    conn.executemany("INSERT INTO page_daily_views VALUES (?, ?, ?)",
                     [(i, today, rng.randrange(1, 5000)) for i in range(1, pages + 1) if rng.random() < 0.5])


def flush(key: str, index: int, pages: int, views: int) -> Request:
    """One minute of views in time order, as [page_id, ts]: page 1 (the viral article) takes about 30%, the
    front page's articles most of the rest (the top ones more), and the archive a long tail."""
    rng = random.Random(f"{key}:flush:{index}")
    start = START + index * FLUSH_S
    times = sorted(start + rng.randrange(FLUSH_S) for _ in range(views))
    out = []
    for ts in times:
        r = rng.random()
        if r < 0.3:
            page = 1
        elif r < 0.97:
            page = 2 + int(FRONT_PAGE * rng.random() ** 2)
        else:
            page = 1 + int(pages * rng.random())
        out.append([page, ts])
    return Request({"views": out})


def build(spec, tier, seed: int) -> World:
    key = f"{spec.id}:{tier.name}:{seed}"
    pages = tier.params["pages"]
    db, _ = writable_database(spec.platform["db"], lambda conn: load(conn, pages, random.Random(key).getrandbits(64)),
                             checks=CHECKS, share=(spec.id, tier.name, seed))
    requests = GeneratedRequests(tier.requests, lambda i: flush(key, i, pages, tier.size))
    return World(db.clock, {"db": db}, requests)
