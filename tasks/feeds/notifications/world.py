"""Creators, their posts and the reactions (likes, comments, reposts) to them; creators opening the bell."""
import random
from collections import Counter
from datetime import datetime, timedelta, timezone

from scaleblind.platforms.database import loaded_database
from scaleblind.platforms.world import Request, World

START = datetime(2025, 1, 1, tzinfo=timezone.utc)
MINUTES = 365 * 24 * 60
DAYS = [(START + timedelta(days=d)).strftime("%Y-%m-%d") for d in range(366)]
CLOCK = [f"T{m // 60:02d}:{m % 60:02d}:00Z" for m in range(1440)]
KINDS = ["like", "like", "like", "like", "comment", "repost"]
TOPICS = ["launch", "recipe", "trip", "release notes", "hot take", "photo dump", "thread", "tutorial"]
PAGE_SIZE = 20

SCHEMA = """
CREATE TABLE users (id INTEGER PRIMARY KEY, handle TEXT NOT NULL, notifications_seen_at TEXT NOT NULL);
CREATE TABLE posts (id INTEGER PRIMARY KEY, author_id INTEGER NOT NULL, title TEXT NOT NULL,
                    created_at TEXT NOT NULL);
CREATE TABLE reactions (id INTEGER PRIMARY KEY, post_id INTEGER NOT NULL, actor_id INTEGER NOT NULL,
                        kind TEXT NOT NULL, created_at TEXT NOT NULL);
"""
INDEXES = """
CREATE INDEX posts_author ON posts (author_id, id);
CREATE INDEX reactions_post_created ON reactions (post_id, created_at, id);
"""


def stamp(minute: int) -> str:
    return DAYS[minute // 1440] + CLOCK[minute % 1440]


def generate(tier, rng: random.Random):
    n_users, n_posts, n_reactions = tier.params["users"], tier.params["posts"], tier.size
    # Posting and popularity are skewed: weights ~ 1/rank, as in real social networks.
    author_weights = [1.0 / (rank + 3) for rank in range(n_users)]
    authors = rng.choices(range(1, n_users + 1), weights=author_weights, k=n_posts)
    post_minutes = [int(rng.random() * MINUTES * 0.9) for _ in range(n_posts)]
    posts = [(pid, authors[pid - 1], f"{TOPICS[pid % len(TOPICS)]} #{pid}", stamp(post_minutes[pid - 1]))
             for pid in range(1, n_posts + 1)]
    post_weights = [rng.random() ** 3 + 0.01 for _ in range(n_posts)]
    targets = rng.choices(range(1, n_posts + 1), weights=post_weights, k=n_reactions)
    rand = rng.random
    actors = [int(rand() * n_users) + 1 for _ in range(n_reactions)]
    actors = [a if a != authors[p - 1] else a % n_users + 1 for a, p in zip(actors, targets)]
    # Most reactions come soon after posting.
    minutes = [post_minutes[p - 1] + int(rand() ** 2 * (MINUTES - post_minutes[p - 1])) for p in targets]
    kinds = [KINDS[int(rand() * len(KINDS))] for _ in range(n_reactions)]
    order = sorted(range(n_reactions), key=minutes.__getitem__)  # ids follow time
    reactions = [(rid, targets[i], actors[i], kinds[i], stamp(minutes[i])) for rid, i in enumerate(order, start=1)]
    creators = [author for author, _ in Counter(authors).most_common(tier.requests)]
    seen = {uid: stamp(MINUTES - 1 - int(rng.random() * 60 * 24 * 20)) for uid in range(1, n_users + 1)}
    users = [(uid, f"user{uid}", seen[uid]) for uid in range(1, n_users + 1)]
    return users, posts, reactions, creators


def build(spec, tier, seed: int) -> World:
    rng = random.Random(f"{spec.id}:{tier.name}:{seed}")
    users, posts, reactions, creators = generate(tier, rng)

    def fill(conn) -> None:
        conn.executescript(SCHEMA)
        conn.executemany("INSERT INTO users VALUES (?, ?, ?)", users)
        conn.executemany("INSERT INTO posts VALUES (?, ?, ?, ?)", posts)
        conn.executemany("INSERT INTO reactions VALUES (?, ?, ?, ?, ?)", reactions)
        conn.executescript(INDEXES)
        conn.execute("ANALYZE")

    db, _ = loaded_database(spec.platform["db"], fill)
    clock = db.clock
    while len(creators) < tier.requests:  # tiny tiers: some people open the bell twice
        creators.append(creators[len(creators) % max(1, len(creators))])
    requests = [Request({"user_id": uid, "limit": PAGE_SIZE}) for uid in creators]
    rng.shuffle(requests)
    return World(clock, {"db": db}, requests)
