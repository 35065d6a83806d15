"""A social platform's follow graph: most users follow a few accounts, active users follow hundreds, a few big
accounts are followed by a large share of everyone and one celebrity by most of the platform. Requests are
active users opening profiles, the celebrity's among them."""
import random
import sqlite3
from functools import lru_cache

from scaleblind.platforms.database import loaded_database
from scaleblind.platforms.generate import sql_mix as mix
from scaleblind.platforms.world import Request, World

CELEBRITY = 1
BIG = (2, 3, 4)  # big accounts, each followed by `big_permille` of the users

SCHEMA = """
CREATE TABLE users (id INTEGER PRIMARY KEY, handle TEXT NOT NULL);
CREATE TABLE follows (follower_id INTEGER NOT NULL, followee_id INTEGER NOT NULL,
                      PRIMARY KEY (follower_id, followee_id));
"""


def hashed(n: int, *salts: int, i: str = "i") -> str:
    """A CTE `hashed(i, h0, h1, ...)` of 1..n with a pseudo-random column per salt, computed once per row."""
    columns = ", ".join(f"{mix('i', salt)} AS h{k}" for k, salt in enumerate(salts))
    return (f"WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < {n}), "
            f"hashed AS MATERIALIZED (SELECT i, {columns} FROM seq)")


def popular(h: str, n: int) -> str:
    """SQL for an account id from a hash column `h`, biased towards low ids (the popular accounts): n * r^3 for
    r uniform."""
    return f"(1 + ({h} % 1000) * ({h} % 1000) * ({h} % 1000) * {n} / 1000000000)"


def fill(conn: sqlite3.Connection, n: int, celebrity_permille: int, big_permille: int, active_every: int,
         active_follows: int, seed: int) -> None:
    """One user in `active_every` is active and follows `active_follows` accounts (before repeats drop)."""
    rng = random.Random(seed)
    s = [rng.randrange(1, 2**31 - 1) for _ in range(7)]
    conn.executescript(SCHEMA)
    # Handles: four letters from a hash, then the id (so unique, and not in the order of ids).
    conn.execute(f"""{hashed(n, s[0])} INSERT INTO users
        SELECT i, char(97 + h0 % 26, 97 + h0 / 26 % 26, 97 + h0 / 676 % 26, 97 + h0 / 17576 % 26) || '_' || i
        FROM hashed""")
    # Everyone follows one to three accounts (two on average), popular ones more often; active users follow
    # hundreds; the celebrity and the big accounts are followed by a share of everyone.
    conn.execute(f"""{hashed(3 * n, s[1])} INSERT OR IGNORE INTO follows
        SELECT f, a FROM (SELECT i, 1 + (i - 1) / 3 AS f, {popular('h0', n)} AS a, h0 / 1000 % 3 AS g FROM hashed)
        WHERE g <= (i - 1) % 3 AND a <> f""")
    active = n // active_every
    conn.execute(f"""{hashed(active * active_follows, s[2])} INSERT OR IGNORE INTO follows
        SELECT f, a FROM (SELECT {active_every} * (1 + (i - 1) / {active_follows}) AS f, {popular('h0', n)} AS a
                          FROM hashed) WHERE a <> f""")
    conn.execute(f"""{hashed(n, *s[3:7])} INSERT OR IGNORE INTO follows
        SELECT i, {CELEBRITY} FROM hashed WHERE i <> {CELEBRITY} AND h0 % 1000 < {celebrity_permille}
        {" ".join(f"UNION ALL SELECT i, {a} FROM hashed WHERE i <> {a} AND h{k + 1} % 1000 < {big_permille}"
                  for k, a in enumerate(BIG))}""")
    conn.execute("CREATE INDEX follows_followee ON follows (followee_id, follower_id)")
    conn.commit()


@lru_cache(maxsize=1)
def source(task_id: str, tier_name: str, seed: int, params: tuple) -> sqlite3.Connection:
    """The filled graph, kept so the driver's second build of the same world is a page copy."""
    conn = sqlite3.connect(":memory:", check_same_thread=False)
    fill(conn, *params, random.Random(f"{task_id}:{tier_name}:{seed}").getrandbits(64))
    return conn


def build(spec, tier, seed: int) -> World:
    n, p = tier.size, tier.params
    every = p["active_every"]
    filled = source(spec.id, tier.name, seed,
                    (n, p["celebrity_permille"], p["big_permille"], every, p["active_follows"]))
    db, _ = loaded_database(spec.platform["db"], filled.backup)
    rng = random.Random(f"{spec.id}:{tier.name}:{seed}:requests")
    active = n // every
    # Active users open profiles: the celebrity's and the big accounts' among them, mostly popular accounts,
    # now and then an account nobody follows; now and then the viewer is a user who follows almost no one.
    profiles = [CELEBRITY] * p["celebrity_views"] + [rng.choice(BIG) for _ in range(p["big_views"])]
    while len(profiles) < tier.requests:
        profiles.append(min(n, 5 + int(rng.random() ** 4 * n)))
    rng.shuffle(profiles)
    requests = []
    for profile in profiles:
        viewer = every * rng.randint(1, active) if rng.random() < 0.9 else rng.randint(1, n)
        if viewer == profile:
            viewer = every
        requests.append(Request({"viewer_id": viewer, "profile_id": profile}))
    return World(db.clock, {"db": db}, requests)
