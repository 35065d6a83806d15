"""A team chat: users, conversations (the company-wide channels, groups, direct messages), their messages, and
the inbox views users open."""
import random
import sqlite3

from scaleblind.platforms.database import loaded_database
from scaleblind.platforms.database_writes import shared_load
from scaleblind.platforms.generate import sql_mix as mix
from scaleblind.platforms.world import Request, World

FIRST = ["Ana", "Ben", "Chloé", "Dmitri", "Emeka", "Fatima", "Gus", "Hana", "Ivan", "Jo", "Kwame", "Lena",
         "Marta", "Nils", "Olu", "Priya", "Quinn", "Rosa", "Sven", "Tomasz", "Uma", "Vik", "Wen", "Yara"]
LAST = ["Smith", "García", "O'Brien", "Nguyen", "Müller", "Okafor", "Rossi", "Kowalski", "Tanaka", "Silva"]
TOPICS = ["launch", "design", "billing", "onboarding", "mobile", "infra", "hiring", "support", "growth-ops",
          "data", "security", "offsite", "release", "pricing", "docs", "qa"]
PHRASES = ["sounds good", "can you take a look?", "shipped it", "lunch?", "LGTM 👍", "on it",
           "meeting moved to 3pm", "thanks!", "which branch?", "see the doc", "back in 5", "+1",
           "the build is green again", "who owns this?", "let's sync tomorrow", "done ✅"]
START_EPOCH = 1_735_689_600  # 2025-01-01T00:00:00Z
CHANNELS = 2                 # conversation 1 is #general, 2 is #random: every user is in both

SCHEMA = """
CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
CREATE TABLE conversations (id INTEGER PRIMARY KEY, title TEXT NOT NULL, last_message_at TEXT NOT NULL);
CREATE TABLE members (conversation_id INTEGER NOT NULL, user_id INTEGER NOT NULL,
                      PRIMARY KEY (conversation_id, user_id)) WITHOUT ROWID;
CREATE TABLE messages (id INTEGER PRIMARY KEY, conversation_id INTEGER NOT NULL, sender_id INTEGER NOT NULL,
                       sent_at TEXT NOT NULL, body TEXT NOT NULL);
"""


# A group or DM (conversation c >= 3) has 2 to 8 members: consecutive user ids (wrapping) from a hashed one.
# The same formulas in Python (the members table) and in SQL (a message's sender is a member).
GROUP_SIZE, GROUP_FIRST = "(2 + {c} * 7919 % 7)", "({c} * 104729 % {users})"


def group_members(c: int, users: int) -> list[int]:
    first, size = c * 104729 % users, 2 + c * 7919 % 7
    return [(first + j) % users + 1 for j in range(size)]


def fill(conn: sqlite3.Connection, params: dict, seed: int) -> None:
    users, conversations, messages = params["users"], params["conversations"], params["messages"]
    channel_share = params["channel_share"]  # per mille of messages posted in #general and #random
    rng = random.Random(seed)
    conn.executescript(SCHEMA)
    conn.executemany("INSERT INTO users VALUES (?, ?)",
                     [(u, f"{rng.choice(FIRST)} {rng.choice(LAST)}") for u in range(1, users + 1)])
    members, titles = [], {1: "#general", 2: "#random"}
    for c in (1, 2):
        members += [(c, u) for u in range(1, users + 1)]
    for c in range(CHANNELS + 1, conversations + 1):
        group = group_members(c, users)
        members += [(c, u) for u in group]
        titles[c] = f"#{TOPICS[c % len(TOPICS)]}-{c}" if len(group) > 2 else f"DM {group[0]}-{group[1]}"
    conn.executemany("INSERT INTO members VALUES (?, ?)", members)
    conn.execute("CREATE INDEX members_user ON members (user_id)")
    span_s = params["days"] * 86_400
    s = [rng.randrange(1, 2**31 - 1) for _ in range(4)]
    phrases = " ".join(f"WHEN {i} THEN '{p.replace(chr(39), chr(39) * 2)}'" for i, p in enumerate(PHRASES))
    conn.execute(f"""
        WITH RECURSIVE seq(y) AS (SELECT 1 UNION ALL SELECT y + 1 FROM seq WHERE y < {messages})
        INSERT INTO messages (id, conversation_id, sender_id, sent_at, body)
        SELECT y, c,
               CASE WHEN c <= 2 THEN 1 + h2 % {users}
                    ELSE ({GROUP_FIRST.format(c='c', users=users)} + h2 % {GROUP_SIZE.format(c='c')}) % {users} + 1 END,
               datetime({START_EPOCH} + (y - 1) * {span_s} / {messages}, 'unixepoch'),
               CASE h2 % {len(PHRASES)} {phrases} END
        FROM (SELECT y, h2,
                     CASE WHEN h1 % 1000 < {channel_share[0]} THEN 1
                          WHEN h1 % 1000 < {channel_share[0] + channel_share[1]} THEN 2
                          ELSE {CHANNELS + 1} + h2 / 7 % {conversations - CHANNELS} END AS c
              FROM (SELECT y, {mix('y', s[0])} AS h1, {mix('y', s[1])} AS h2 FROM seq))""")
    conn.execute("CREATE INDEX messages_conversation ON messages (conversation_id, sent_at)")
    # A conversation nobody wrote in yet shows its creation time: a day before the first message.
    last = dict(conn.execute("SELECT conversation_id, MAX(sent_at) FROM messages GROUP BY conversation_id"))
    conn.executemany("INSERT INTO conversations VALUES (?, ?, ?)",
                     [(c, t, last.get(c) or f"2024-12-31 00:{c // 60 % 60:02d}:{c % 60:02d}")
                      for c, t in titles.items()])
    conn.commit()


def build(spec, tier, seed: int) -> World:
    params = {"users": tier.params["users"], "conversations": tier.params["conversations"],
              "messages": tier.size, "days": tier.params["days"],
              "channel_share": tuple(tier.params["channel_share"])}
    share = (spec.id, tier.name, seed, tuple(sorted(params.items())))  # filled once, page-copied after
    salt = random.Random(f"{spec.id}:{tier.name}:{seed}").getrandbits(64)
    db, _ = loaded_database(spec.platform["db"], shared_load(share, lambda conn: fill(conn, params, salt)))
    rng = random.Random(f"{spec.id}:{tier.name}:{seed}:requests")
    requests = [Request({"user_id": rng.randrange(1, params["users"] + 1), "per_page": 20})
                for _ in range(tier.requests)]
    return World(db.clock, {"db": db}, requests)
