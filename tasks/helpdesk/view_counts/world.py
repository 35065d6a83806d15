"""Support tickets of thousands of workspaces, one of them (an enterprise customer with a large support team)
holding most of the tickets; agents' browsers refresh the sidebar counts, the giant workspace's agents among
them."""
import random
import sqlite3
from functools import lru_cache

from scaleblind.platforms.database import loaded_database
from scaleblind.platforms.world import Request, World

GIANT = 1
STATUSES = ["new", "open", "pending", "on_hold", "solved", "closed"]
# Out of 100 tickets: most are closed, a few are waiting on someone.
STATUS_SHARES = [3, 8, 5, 2, 12, 70]

SCHEMA = """
CREATE TABLE workspaces (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
CREATE TABLE tickets (id INTEGER PRIMARY KEY, workspace_id INTEGER NOT NULL, status TEXT NOT NULL,
                      created_at INTEGER NOT NULL);
"""


def status_case(h: str) -> str:
    """SQL picking a status from a hash column, with the shares of STATUS_SHARES."""
    whens, upto = [], 0
    for status, share in zip(STATUSES, STATUS_SHARES):
        upto += share
        whens.append(f"WHEN {h} % 100 < {upto} THEN '{status}'")
    return f"CASE {' '.join(whens)} END"


def fill(conn: sqlite3.Connection, tickets: int, workspaces: int, giant_percent: int, seed: int) -> None:
    """`giant_percent` of the tickets (spread over the ids, as they were created) are the giant workspace's."""
    salt = random.Random(seed).randrange(1, 2**31)
    conn.executescript(SCHEMA)
    conn.executemany("INSERT INTO workspaces VALUES (?, ?)",
                     [(1, "Globex Support")] + [(i, f"Workspace {i}") for i in range(2, workspaces + 1)])
    # A cheap multiplicative hash per ticket; the other workspaces' sizes are skewed (product of two uniforms).
    conn.execute(f"""
        WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < {tickets})
        INSERT INTO tickets
        SELECT i, CASE WHEN i % 100 < {giant_percent} THEN {GIANT}
                       ELSE 2 + (h % 1000) * (h / 1000 % 1000) * {workspaces - 1} / 1000000 END,
               {status_case('(h / 1000000)')}, 1735689600 + i * 20
        FROM (SELECT i, (i * 2654435761 + {salt}) % 4294967296 AS h FROM seq)""")
    conn.execute("CREATE INDEX tickets_workspace_status ON tickets (workspace_id, status)")
    conn.commit()


@lru_cache(maxsize=1)
def source(task_id: str, tier_name: str, seed: int, params: tuple) -> sqlite3.Connection:
    """The filled database, kept so the driver's second build of the same world is a page copy."""
    conn = sqlite3.connect(":memory:", check_same_thread=False)
    fill(conn, *params, random.Random(f"{task_id}:{tier_name}:{seed}").getrandbits(64))
    return conn


def build(spec, tier, seed: int) -> World:
    p = tier.params
    filled = source(spec.id, tier.name, seed, (tier.size, p["workspaces"], p["giant_percent"]))
    db, _ = loaded_database(spec.platform["db"], filled.backup)
    rng = random.Random(f"{spec.id}:{tier.name}:{seed}:requests")
    # The giant workspace's agents refresh as often as anyone's; the other agents work in workspaces of every
    # size, the larger ones (lower ids) more often; now and then a workspace without tickets.
    spaces = [GIANT] * p["giant_views"]
    spaces += [2 + int(rng.random() ** 2 * (p["workspaces"] - 1)) for _ in range(tier.requests - len(spaces))]
    rng.shuffle(spaces)
    return World(db.clock, {"db": db}, [Request({"workspace_id": space}) for space in spaces])
