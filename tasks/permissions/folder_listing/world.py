"""A company's document store: users, nested groups, folders (team folders, a company-wide handbook, a
restricted archive of scanned invoices), documents, shares; and people opening folders."""
import random
import sqlite3

from scaleblind.platforms.database import loaded_database
from scaleblind.platforms.database_writes import shared_load
from scaleblind.platforms.generate import sql_mix as mix
from scaleblind.platforms.world import Request, World

ARCHIVE, HANDBOOK = 1, 2   # folder 1: scanned invoices (finance only); folder 2: the handbook (everyone)
EVERYONE, FINANCE = 1, 2   # group 1 holds every department group; group 2 is finance
WORDS = ["Q3", "plan", "budget", "notes", "roadmap", "invoice", "contract", "review", "draft", "final",
         "summary", "offsite", "hiring", "launch", "retro", "spec", "policy", "report", "minutes", "v2"]

SCHEMA = """
CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
CREATE TABLE groups (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
CREATE TABLE group_members (group_id INTEGER NOT NULL, user_id INTEGER NOT NULL, PRIMARY KEY (group_id, user_id));
CREATE TABLE group_parents (child_group_id INTEGER NOT NULL, parent_group_id INTEGER NOT NULL,
                            PRIMARY KEY (child_group_id, parent_group_id));
CREATE TABLE folders (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
CREATE TABLE documents (id INTEGER PRIMARY KEY, folder_id INTEGER NOT NULL, name TEXT NOT NULL,
                        owner_id INTEGER NOT NULL);
CREATE TABLE shares (document_id INTEGER NOT NULL, kind TEXT NOT NULL, principal_id INTEGER NOT NULL,
                     PRIMARY KEY (document_id, kind, principal_id));
CREATE TABLE folder_shares (folder_id INTEGER NOT NULL, kind TEXT NOT NULL, principal_id INTEGER NOT NULL,
                            PRIMARY KEY (folder_id, kind, principal_id));
"""


def org(users: int, teams: int) -> tuple[list, list, list, dict]:
    """Groups: Everyone (1) > departments > teams; finance (2) is a department. Each user is in one team.
    Returns group rows, group_members rows, group_parents rows, and each team's department."""
    departments = max(2, teams // 8)
    dept_ids = [FINANCE] + list(range(3, departments + 2))
    team_ids = list(range(departments + 2, departments + 2 + teams))
    groups = [(EVERYONE, "Everyone"), (FINANCE, "Finance")] + \
        [(g, f"Department {g}") for g in dept_ids[1:]] + [(t, f"Team {t}") for t in team_ids]
    parents = [(d, EVERYONE) for d in dept_ids]
    dept_of = {t: dept_ids[i % len(dept_ids)] for i, t in enumerate(team_ids)}
    parents += [(t, dept_of[t]) for t in team_ids]
    members = [(team_ids[(u * 7919) % teams], u) for u in range(1, users + 1)]
    return groups, members, parents, dept_of


def fill(conn: sqlite3.Connection, params: dict, seed: int) -> None:
    rng = random.Random(seed)
    users, teams, documents = params["users"], params["teams"], params["documents"]
    archive, handbook, folders = params["archive"], params["handbook"], params["folders"]
    conn.executescript(SCHEMA)
    conn.executemany("INSERT INTO users VALUES (?, ?)", [(u, f"user{u}") for u in range(1, users + 1)])
    groups, members, parents, dept_of = org(users, teams)
    conn.executemany("INSERT INTO groups VALUES (?, ?)", groups)
    conn.executemany("INSERT INTO group_members VALUES (?, ?)", members)
    conn.executemany("INSERT INTO group_parents VALUES (?, ?)", parents)
    conn.execute("CREATE INDEX group_members_user ON group_members (user_id)")
    team_ids = sorted(dept_of)
    # Folders 3.. are team folders, each shared with its team (some also with the team's department).
    folder_rows = [(ARCHIVE, "Scanned invoices"), (HANDBOOK, "Company handbook")]
    folder_share_rows = [(ARCHIVE, "group", FINANCE), (HANDBOOK, "group", EVERYONE)]
    for f in range(3, folders + 1):
        team = team_ids[f % len(team_ids)]
        folder_rows.append((f, f"Team {team} folder {f}"))
        folder_share_rows.append((f, "group", team))
        if f % 5 == 0:
            folder_share_rows.append((f, "group", dept_of[team]))
    conn.executemany("INSERT INTO folders VALUES (?, ?)", folder_rows)
    conn.executemany("INSERT INTO folder_shares VALUES (?, ?, ?)", folder_share_rows)
    s = [rng.randrange(1, 2**31 - 1) for _ in range(4)]
    words = " ".join(f"WHEN {i} THEN '{w}'" for i, w in enumerate(WORDS))
    # Documents: the archive first, then the handbook, then the team folders (hashed).
    conn.execute(f"""
        WITH RECURSIVE seq(y) AS (SELECT 1 UNION ALL SELECT y + 1 FROM seq WHERE y < {documents})
        INSERT INTO documents (id, folder_id, name, owner_id)
        SELECT y, folder,
               CASE WHEN folder = {ARCHIVE} THEN printf('INV-%07d.pdf', h2 % 10000000)
                    ELSE (CASE h2 % {len(WORDS)} {words} END) || ' ' || (CASE h3 % {len(WORDS)} {words} END)
                         || printf(' %d', h2 % 1000) END,
               1 + h3 % {users}
        FROM (SELECT y, h2, h3, CASE WHEN y <= {archive} THEN {ARCHIVE} WHEN y <= {archive + handbook} THEN {HANDBOOK}
                                     ELSE 3 + h1 % {folders - 2} END AS folder
              FROM (SELECT y, {mix('y', s[0])} AS h1, {mix('y', s[1])} AS h2, {mix('y', s[2])} AS h3 FROM seq))""")
    conn.execute("CREATE INDEX documents_folder_name ON documents (folder_id, name)")
    # Direct shares: one archive invoice in 200 is shared with the employee who filed the expense; one team
    # document in 4 is shared with a person or a team elsewhere.
    conn.execute(f"""
        INSERT OR IGNORE INTO shares (document_id, kind, principal_id)
        SELECT id, CASE WHEN folder_id = {ARCHIVE} OR h % 2 = 0 THEN 'user' ELSE 'group' END,
               CASE WHEN folder_id = {ARCHIVE} OR h % 2 = 0 THEN 1 + h / 7 % {users}
                    ELSE {team_ids[0]} + h / 7 % {len(team_ids)} END
        FROM (SELECT id, folder_id, {mix('id', s[3])} AS h FROM documents)
        WHERE (folder_id = {ARCHIVE} AND h % 200 = 0) OR (folder_id > {HANDBOOK} AND h % 4 = 1)""")
    conn.execute("CREATE INDEX shares_principal ON shares (kind, principal_id, document_id)")
    conn.commit()


def build(spec, tier, seed: int) -> World:
    keys = ("users", "teams", "folders", "archive", "handbook")
    params = {"documents": tier.size, **{k: tier.params[k] for k in keys}}
    share = (spec.id, tier.name, seed, tuple(sorted(params.items())))  # filled once, page-copied after
    salt = random.Random(f"{spec.id}:{tier.name}:{seed}").getrandbits(64)
    db, _ = loaded_database(spec.platform["db"], shared_load(share, lambda conn: fill(conn, params, salt)))
    rng = random.Random(f"{spec.id}:{tier.name}:{seed}:requests")
    # People open their team's folders, the handbook, and the archive (where most see only their own invoices).
    requests = []
    for index in range(tier.requests):
        user = rng.randrange(1, params["users"] + 1)
        folder = [ARCHIVE, HANDBOOK, 3 + rng.randrange(params["folders"] - 2)][index % 3]
        requests.append(Request({"user_id": user, "folder_id": folder, "per_page": 50}))
    return World(db.clock, {"db": db}, requests)
