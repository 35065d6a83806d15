"""An identity provider's audit log: a provisioning service account, a few admins and many staff accounts,
and the security team's views of users' trails (first pages and the pages after them)."""
import random
import sqlite3

from scaleblind.platforms.database import loaded_database
from scaleblind.platforms.database_writes import shared_load
from scaleblind.platforms.generate import sql_mix as mix
from scaleblind.platforms.world import Request, World

START_EPOCH = 1_735_689_600  # 2025-01-01T00:00:00Z
BOT, ADMINS = 1, 20          # user 1 is the provisioning service account; users 2..21 are admins
BOT_ACTIONS = ["user.updated", "user.provisioned", "group.member_added", "group.member_removed"]
ADMIN_ACTIONS = ["user.password_reset", "user.suspended", "user.role_changed", "user.mfa_reset"]
SELF_ACTIONS = ["session.login"] * 6 + ["user.password_changed", "user.mfa_enrolled"]
FIRST = ["Ana", "Ben", "Chloé", "Dmitri", "Emeka", "Fatima", "Gus", "Hana", "Ivan", "Jo", "Kwame", "Lena"]
LAST = ["Smith", "García", "O'Brien", "Nguyen", "Müller", "Okafor", "Rossi", "Kowalski", "Tanaka", "Silva"]

SCHEMA = """
CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL, email TEXT NOT NULL);
CREATE TABLE audit_events (id INTEGER PRIMARY KEY, created_at TEXT NOT NULL, actor_id INTEGER NOT NULL,
                           target_user_id INTEGER, action TEXT NOT NULL, ip TEXT NOT NULL);
"""


def case(values: list[str], expr: str) -> str:
    whens = " ".join(f"WHEN {i} THEN '{v}'" for i, v in enumerate(values))
    return f"CASE ({expr}) % {len(values)} {whens} END"


def fill(conn: sqlite3.Connection, params: dict, seed: int) -> None:
    rng = random.Random(seed)
    users, events, bot_share = params["users"], params["events"], params["bot_share"]
    conn.executescript(SCHEMA)
    names = [("Provisioning (SCIM)", "scim-sync@corp.example")] + [
        (n, f"{n.split()[0].lower()}.{u}@corp.example") for u in range(2, users + 1)
        for n in [f"{rng.choice(FIRST)} {rng.choice(LAST)}"]]
    conn.executemany("INSERT INTO users VALUES (?, ?, ?)", [(u, *names[u - 1]) for u in range(1, users + 1)])
    span_s = params["days"] * 86_400
    s = [rng.randrange(1, 2**31 - 1) for _ in range(3)]
    staff = f"{ADMINS + 2} + h2 % {users - ADMINS - 1}"
    conn.execute(f"""
        WITH RECURSIVE seq(y) AS (SELECT 1 UNION ALL SELECT y + 1 FROM seq WHERE y < {events})
        INSERT INTO audit_events (id, created_at, actor_id, target_user_id, action, ip)
        SELECT y, datetime({START_EPOCH} + (y - 1) * {span_s} / {events} + h3 % 2, 'unixepoch'),
               CASE kind WHEN 0 THEN {BOT} WHEN 1 THEN 2 + h2 % {ADMINS} ELSE {staff} END,
               CASE kind WHEN 0 THEN 2 + h3 % {users - 1} WHEN 1 THEN 2 + h3 % {users - 1}
                         ELSE CASE WHEN h3 % 8 < 6 THEN NULL ELSE {staff} END END,
               CASE kind WHEN 0 THEN {case(BOT_ACTIONS, 'h3')} WHEN 1 THEN {case(ADMIN_ACTIONS, 'h3')}
                         ELSE {case(SELF_ACTIONS, 'h3')} END,
               CASE kind WHEN 0 THEN '10.0.0.7' ELSE printf('203.0.%d.%d', h2 % 256, h3 % 256) END
        FROM (SELECT y, h2, h3, CASE WHEN h1 % 1000 < {bot_share} THEN 0 WHEN h1 % 1000 < {bot_share + 40} THEN 1
                                     ELSE 2 END AS kind
              FROM (SELECT y, {mix('y', s[0])} AS h1, {mix('y', s[1])} AS h2, {mix('y', s[2])} AS h3 FROM seq))""")
    conn.execute("CREATE INDEX audit_actor ON audit_events (actor_id, created_at)")
    conn.execute("CREATE INDEX audit_target ON audit_events (target_user_id, created_at)")
    conn.commit()


def build(spec, tier, seed: int) -> World:
    params = {"users": tier.params["users"], "events": tier.size, "days": tier.params["days"],
              "bot_share": tier.params["bot_share"]}
    share = (spec.id, tier.name, seed, tuple(sorted(params.items())))  # filled once, page-copied after
    salt = random.Random(f"{spec.id}:{tier.name}:{seed}").getrandbits(64)
    db, _ = loaded_database(spec.platform["db"], shared_load(share, lambda conn: fill(conn, params, salt)))
    rng = random.Random(f"{spec.id}:{tier.name}:{seed}:requests")
    # Reviewers open a trail and page on: the service account's (always audited), admins', staff members'.
    viewed = [BOT, rng.randrange(2, ADMINS + 2)] + [rng.randrange(ADMINS + 2, params["users"] + 1) for _ in range(4)]
    requests = []
    for index in range(tier.requests):
        user = viewed[index // 2 % len(viewed)]
        if index % 2 == 0:
            requests.append(Request({"user_id": user, "per_page": 50}))
        else:
            requests.append(Request({"user_id": user, "per_page": 50}, chain={"cursor": "next_cursor"}))
    return World(db.clock, {"db": db}, requests)


def normalize(output):
    """The cursor is opaque: only whether there is a next page is compared."""
    if isinstance(output, dict) and "next_cursor" in output:
        return {**output, "next_cursor": output["next_cursor"] is not None}
    return output
