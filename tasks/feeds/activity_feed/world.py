"""A social network's users, follow graph and posts in SQL, and viewers scrolling their home timeline."""
import random
from datetime import datetime, timedelta, timezone

from scaleblind.platforms.database import loaded_database
from scaleblind.platforms.world import Request, World

START = datetime(2025, 1, 1, tzinfo=timezone.utc)
MINUTES_IN_YEAR = 365 * 24 * 60
WORDS = ["shipping", "coffee", "release", "weekend", "launch", "design", "bug", "thread", "photo", "music",
         "run", "team", "demo", "rust", "python", "garden", "book", "travel", "today", "finally"]
VIEWERS = 4
PAGES_PER_VIEWER = 5
PAGE_SIZE = 20

SCHEMA = """
CREATE TABLE users (id INTEGER PRIMARY KEY, handle TEXT NOT NULL, display_name TEXT NOT NULL);
CREATE TABLE follows (follower_id INTEGER NOT NULL, followee_id INTEGER NOT NULL, created_at TEXT NOT NULL,
                      PRIMARY KEY (follower_id, followee_id)) WITHOUT ROWID;
CREATE TABLE posts (id INTEGER PRIMARY KEY, author_id INTEGER NOT NULL, body TEXT NOT NULL,
                    created_at TEXT NOT NULL);
"""
INDEXES = """
CREATE INDEX posts_author_created ON posts (author_id, created_at, id);
"""


DAYS = [(START + timedelta(days=d)).strftime("%Y-%m-%d") for d in range(366)]
CLOCK = [f"T{m // 60:02d}:{m % 60:02d}:00Z" for m in range(1440)]


def stamp(minute: int) -> str:
    """ISO-8601 UTC at minute resolution (fast: the growth tier formats 200,000 of them)."""
    return DAYS[minute // 1440] + CLOCK[minute % 1440]


def generate(tier, rng: random.Random) -> tuple[list, list, list, list[int]]:
    n_users, n_posts = tier.params["users"], tier.size
    users = [(uid, f"user{uid}", f"User {uid}") for uid in range(1, n_users + 1)]
    # Activity is skewed: a few accounts post a lot (weights ~ 1/rank), most post rarely.
    weights = [1.0 / (rank + 3) for rank in range(n_users)]
    authors = rng.choices(range(1, n_users + 1), weights=weights, k=n_posts)
    minutes = sorted(int(rng.random() * MINUTES_IN_YEAR) for _ in range(n_posts))  # ids follow time; ties share a minute
    bodies = [" ".join(rng.choices(WORDS, k=8)) for _ in range(256)]
    posts = [(pid, authors[pid - 1], bodies[(pid * 7) % 256] + f" #{pid}", stamp(minutes[pid - 1]))
             for pid in range(1, n_posts + 1)]
    follows = set()
    viewers = rng.sample(range(1, n_users + 1), VIEWERS)
    for viewer in viewers:  # the people scrolling: they follow many accounts
        for followee in rng.sample(range(1, n_users + 1), tier.params["viewer_follows"]):
            if followee != viewer:
                follows.add((viewer, followee))
    for _ in range(tier.params["other_follows"]):  # everyone else follows a few accounts
        a, b = rng.randrange(1, n_users + 1), rng.randrange(1, n_users + 1)
        if a != b:
            follows.add((a, b))
    follow_rows = [(a, b, stamp(int(rng.random() * MINUTES_IN_YEAR))) for a, b in sorted(follows)]
    return users, follow_rows, posts, viewers


def build(spec, tier, seed: int) -> World:
    rng = random.Random(f"{spec.id}:{tier.name}:{seed}")
    users, follows, posts, viewers = generate(tier, rng)

    def fill(conn) -> None:
        conn.executescript(SCHEMA)
        conn.executemany("INSERT INTO users VALUES (?, ?, ?)", users)
        conn.executemany("INSERT INTO follows VALUES (?, ?, ?)", follows)
        conn.executemany("INSERT INTO posts VALUES (?, ?, ?, ?)", posts)
        conn.executescript(INDEXES)
        conn.execute("ANALYZE")

    db, _ = loaded_database(spec.platform["db"], fill)
    clock = db.clock
    requests = []
    for viewer in viewers:
        requests.append(Request({"user_id": viewer, "cursor": None, "limit": PAGE_SIZE}))
        requests += [Request({"user_id": viewer, "limit": PAGE_SIZE}, chain={"cursor": "next_cursor"})
                     for _ in range(PAGES_PER_VIEWER - 1)]
    return World(clock, {"db": db}, requests)


def normalize(output):
    """The cursor is opaque: only whether there is a next page is compared."""
    if isinstance(output, dict) and "next_cursor" in output:
        return {**output, "next_cursor": output["next_cursor"] is not None}
    return output
