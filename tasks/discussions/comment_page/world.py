"""Posts' comments in SQL (top-level comments and one level of replies) and the comment pages readers open.

One post went viral: tens of thousands of top-level comments, and its best comments have tens of thousands
of replies each (replies fall off with a comment's rank as 1 / rank^1.5). Every other post has a few dozen
comments with a few replies each.
"""
import random

from scaleblind.platforms.database import loaded_database
from scaleblind.platforms.database_writes import shared_load
from scaleblind.platforms.generate import PRIME, sql_mix as mix
from scaleblind.platforms.world import Request, World

LOREM = ("this is so true honestly the best part was when they said no way I cannot believe it lol agreed same "
         "here what a great take underrated comment exactly wait really source please love that thread came here "
         "to say this why is nobody talking about it the ending got me every single time can confirm this happened")
START_EPOCH = 1_764_547_200  # 2025-12-01T00:00:00Z
PER_PAGE = 20

SCHEMA = """
CREATE TABLE comments (id INTEGER PRIMARY KEY, post_id INTEGER NOT NULL, parent_id INTEGER,
                       author TEXT NOT NULL, body TEXT NOT NULL, score INTEGER NOT NULL, created_at TEXT NOT NULL);
CREATE TEMP TABLE viral_replies (rank INTEGER PRIMARY KEY, replies INTEGER NOT NULL);
CREATE TEMP TABLE nums (j INTEGER PRIMARY KEY);
"""


def text(h: str) -> str:
    """SQL for a short comment body: a slice of LOREM chosen by the hash expression `h`."""
    return f"substr('{LOREM}', 1 + ({h}) % 200, 12 + ({h}) / 256 % 60)"


def load(conn, params: dict, salt: list[int]) -> None:
    posts, viral, top, peak = params["posts"], params["viral_post"], params["viral_comments"], params["peak_replies"]
    conn.executescript(SCHEMA)
    conn.executemany("INSERT INTO viral_replies VALUES (?, ?)",
                     [(rank, int(peak / rank ** 1.5)) for rank in range(1, top + 1)])
    conn.execute(f"WITH RECURSIVE s(j) AS (SELECT 0 UNION ALL SELECT j + 1 FROM s WHERE j < {max(peak, 8)}) "
                 "INSERT INTO nums SELECT j FROM s")
    h = mix("y", salt[0])
    # Ordinary posts: 5 to 40 top-level comments each, at slots y = 40 * (post - 1) + k.
    conn.execute(f"""
        WITH RECURSIVE seq(y) AS (SELECT 0 UNION ALL SELECT y + 1 FROM seq WHERE y < {40 * posts - 1})
        INSERT INTO comments (post_id, parent_id, author, body, score, created_at)
        SELECT y / 40 + 1, NULL, 'user' || ({h} % 90000), {text(h)}, {h} % 200 - 20,
               datetime({START_EPOCH} + (y / 40) * 3000 + {h} % 86400, 'unixepoch')
        FROM seq WHERE y % 40 < 5 + {mix('y / 40', salt[1])} % 36 AND y / 40 + 1 <> {viral}""")
    # The viral post: `top` top-level comments; the comment of rank r has score (top - r) / 2, so pairs tie
    # and the lower id (the better rank) comes first.
    conn.execute(f"""
        INSERT INTO comments (post_id, parent_id, author, body, score, created_at)
        SELECT {viral}, NULL, 'user' || ({mix('rank', salt[2])} % 90000), {text(mix('rank', salt[2]))},
               ({top} - rank) / 2, datetime({START_EPOCH} + {viral} * 3000 + {mix('rank', salt[3])} % 172800,
                                            'unixepoch')
        FROM viral_replies ORDER BY rank""")
    first_viral = conn.execute(f"SELECT min(id) FROM comments WHERE post_id = {viral}").fetchone()[0] or 0
    r = mix("c.id * 8 + nums.j", salt[4])
    replies = f"""
        INSERT INTO comments (post_id, parent_id, author, body, score, created_at)
        SELECT c.post_id, c.id, 'user' || ({r} % 90000), {text(r)}, {r} % 30,
               datetime(unixepoch(c.created_at) + 60 + {r} % 40000, 'unixepoch')
        FROM {{parents}} JOIN nums ON nums.j < {{count}}"""
    conn.execute(replies.format(parents=f"comments c", count=f"{mix('c.id', salt[5])} % 5 "
                                f"WHERE c.parent_id IS NULL AND c.post_id <> {viral}"))
    conn.execute(replies.format(parents=f"viral_replies v JOIN comments c ON c.id = v.rank + {first_viral - 1}",
                                count="v.replies"))
    conn.executescript("""
        CREATE INDEX comments_top ON comments (post_id, parent_id, score DESC, id);
        CREATE INDEX comments_replies ON comments (parent_id, created_at, id);
        DROP TABLE temp.viral_replies; DROP TABLE temp.nums;""")


def build(spec, tier, seed: int) -> World:
    rng = random.Random(f"{spec.id}:{tier.name}:{seed}")
    salt = [rng.randrange(1, PRIME) for _ in range(6)]
    params = tier.params
    db, _ = loaded_database(spec.platform["db"], shared_load((spec.id, tier.name, seed),
                                                             lambda conn: load(conn, params, salt)))
    viral, pages = params["viral_post"], params["viral_pages"]
    requests = [Request({"post_id": viral, "page": page}) for page in pages]
    while len(requests) < tier.requests:
        requests.append(Request({"post_id": rng.randint(1, params["posts"]), "page": rng.choice([1, 1, 1, 1, 2, 3])}))
    rng.shuffle(requests)
    return World(db.clock, {"db": db}, requests)
