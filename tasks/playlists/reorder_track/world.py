"""A music app's playlists: thousands of ordinary ones of a few dozen tracks, and one giant playlist (a radio
station's library) of a hundred thousand. Users drag tracks to new places, in the giant playlist among others.
Positions start as 0, 1, 2, ... in each playlist."""
import random

from scaleblind.platforms.database_writes import writable_database
from scaleblind.platforms.world import Request, World

GIANT = 1
CATALOG = 5_000_000  # track ids are drawn from the catalog

SCHEMA = """
CREATE TABLE playlists (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
CREATE TABLE playlist_items (playlist_id INTEGER NOT NULL REFERENCES playlists (id), track_id INTEGER NOT NULL,
                             position REAL NOT NULL, PRIMARY KEY (playlist_id, track_id));
CREATE INDEX playlist_items_order ON playlist_items (playlist_id, position);
"""


def playlists(rng: random.Random, count: int, giant: int) -> dict[int, list[int]]:
    """Each playlist's tracks in order: the giant one, then ordinary ones of 5 to 120 tracks."""
    lists = {GIANT: rng.sample(range(1, CATALOG), giant)}
    for pid in range(2, count + 1):
        lists[pid] = rng.sample(range(1, CATALOG), rng.randint(5, 120))
    return lists


def load(conn, lists: dict[int, list[int]]) -> dict[int, list[int]]:
    conn.executescript(SCHEMA)
    conn.executemany("INSERT INTO playlists VALUES (?, ?)",
                     [(pid, "Station library" if pid == GIANT else f"Playlist {pid}") for pid in lists])
    conn.executemany("INSERT INTO playlist_items VALUES (?, ?, ?)",
                     ((pid, track, float(i)) for pid, tracks in lists.items() for i, track in enumerate(tracks)))
    return lists


def order_check(playlist_ids: list[int]) -> str:
    """An order-sensitive digest of the given playlists: each track weighted by its rank in its playlist;
    repeated positions would make the order ambiguous, so they are counted too."""
    ids = ",".join(map(str, sorted(set(playlist_ids))))
    return (f"SELECT count(*), sum(rank * (track_id % 1000003) % 2147483647), "
            f"count(*) - (SELECT count(*) FROM (SELECT DISTINCT playlist_id, position FROM playlist_items "
            f"WHERE playlist_id IN ({ids}))) "
            f"FROM (SELECT track_id, row_number() OVER (PARTITION BY playlist_id ORDER BY position) AS rank "
            f"FROM playlist_items WHERE playlist_id IN ({ids}))")


def build(spec, tier, seed: int) -> World:
    p = tier.params
    rng = random.Random(f"{spec.id}:{tier.name}:{seed}")
    count = p["playlists"]
    chosen = [GIANT] * p["giant_moves"] + [rng.randint(2, count) for _ in range(tier.requests - p["giant_moves"])]
    rng.shuffle(chosen)
    lists = playlists(rng, count, tier.size)
    db, _ = writable_database(spec.platform["db"], lambda conn: load(conn, lists),
                             checks={"order": order_check(chosen)}, share=(spec.id, tier.name, seed))
    requests = []
    for pid in chosen:
        tracks = lists[pid]
        requests.append(Request({"playlist_id": pid, "track_id": rng.choice(tracks),
                                 "to_index": rng.randrange(len(tracks))}))
    return World(db.clock, {"db": db}, requests)
