"""A social network's friendship graph in SQL (both directions stored) and people-search result pages.

Ordinary members have a few to a few dozen friends. Like MySpace's Tom, the official account (id 1) is every
member's friend from sign-up, and a handful of creators have tens of thousands of friends; search results often
show them. Edges are generated inside SQLite (keyed squares modulo a prime) so growth builds quickly.
"""
import random

from scaleblind.platforms.database import loaded_database
from scaleblind.platforms.database_writes import shared_load
from scaleblind.platforms.generate import sql_mix as mix
from scaleblind.platforms.world import Request, World

OFFICIAL = 1
CREATORS = (2, 3, 4, 5)
FIRST_MEMBER = 6

SCHEMA = """
CREATE TABLE friendships (user_id INTEGER NOT NULL, friend_id INTEGER NOT NULL,
                          PRIMARY KEY (user_id, friend_id)) WITHOUT ROWID;
"""


def fill(conn, members: int, edges: int, fans: int, salt: int) -> None:
    """Ordinary friendships between random members, the creators' and the official account's."""
    s = [(salt * (i + 7)) % 2_147_483_629 + 1 for i in range(3)]
    last = FIRST_MEMBER + members - 1
    conn.executescript(SCHEMA)
    conn.execute("CREATE TEMP TABLE pairs (a INTEGER, b INTEGER)")
    conn.execute(f"""
        INSERT INTO temp.pairs
        WITH RECURSIVE seq(y) AS (SELECT 1 UNION ALL SELECT y + 1 FROM seq WHERE y < {edges})
        SELECT {FIRST_MEMBER} + {mix('y', s[0])} % {members}, {FIRST_MEMBER} + {mix('y', s[1])} % {members} FROM seq""")
    conn.execute(f"""
        INSERT INTO temp.pairs
        WITH RECURSIVE seq(y) AS (SELECT 0 UNION ALL SELECT y + 1 FROM seq WHERE y < {len(CREATORS) * fans - 1})
        SELECT {CREATORS[0]} + y % {len(CREATORS)}, {FIRST_MEMBER} + {mix('y', s[2])} % {members} FROM seq""")
    conn.execute("""INSERT OR IGNORE INTO friendships
                    SELECT a, b FROM temp.pairs WHERE a <> b UNION ALL SELECT b, a FROM temp.pairs WHERE a <> b
                    ORDER BY 1, 2""")
    members_seq = f"WITH RECURSIVE seq(y) AS (SELECT {CREATORS[0]} UNION ALL SELECT y + 1 FROM seq WHERE y < {last})"
    conn.execute(f"INSERT INTO friendships {members_seq} SELECT {OFFICIAL}, y FROM seq")
    conn.execute(f"INSERT INTO friendships {members_seq} SELECT y, {OFFICIAL} FROM seq")
    conn.execute("DROP TABLE temp.pairs")


def page(rng: random.Random, db_conn, viewer: int, members: int, results: int, hub_share: float) -> list[int]:
    """A result page: friends of friends and strangers, and often the official account or a creator."""
    friends = [f for (f,) in db_conn.execute("SELECT friend_id FROM friendships WHERE user_id = ?", [viewer])]
    ids = set()
    for f in rng.sample(friends, min(len(friends), 6)):
        if f >= FIRST_MEMBER:
            theirs = [x for (x,) in db_conn.execute(
                "SELECT friend_id FROM friendships WHERE user_id = ? LIMIT 20", [f])]
            theirs = [x for x in theirs if x >= FIRST_MEMBER and x != viewer]
            ids.update(rng.sample(theirs, min(3, len(theirs))))
    if rng.random() < hub_share:
        ids.add(OFFICIAL)
    if rng.random() < hub_share:
        ids.add(rng.choice(CREATORS))
    while len(ids) < results:
        candidate = FIRST_MEMBER + rng.randrange(members)
        if candidate != viewer:
            ids.add(candidate)
    chosen = sorted(ids)
    rng.shuffle(chosen)
    chosen = chosen[:results]
    return chosen


def build(spec, tier, seed: int) -> World:
    params = tier.params
    key = f"{spec.id}:{tier.name}:{seed}"
    salt = random.Random(key).getrandbits(30)
    members = tier.size

    def load(conn):
        return fill(conn, members, params["edges"], params["fans"], salt)

    db, _ = loaded_database(spec.platform["db"], shared_load((spec.id, tier.name, seed), load))
    rng = random.Random(f"{key}:pages")
    requests = []
    for _ in range(tier.requests):
        viewer = FIRST_MEMBER + rng.randrange(members)
        while db.conn.execute("SELECT COUNT(*) FROM friendships WHERE user_id = ?", [viewer]).fetchone()[0] < 4:
            viewer = FIRST_MEMBER + rng.randrange(members)
        requests.append(Request({"viewer_id": viewer, "profile_ids": page(rng, db.conn, viewer, members,
                                                                          params["results"], 0.6)}))
    return World(db.clock, {"db": db}, requests)
