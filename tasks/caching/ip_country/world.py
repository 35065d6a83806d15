"""An IP-to-country table in SQL (disjoint ranges with gaps between them) and the batches of visitor IPs an
analytics worker enriches. The table does not change while the worker runs."""
import random

from scaleblind.platforms.database import loaded_database
from scaleblind.platforms.database_writes import shared_load
from scaleblind.platforms.generate import PRIME, sql_mix as mix
from scaleblind.platforms.world import Request, World

COUNTRIES = ["US", "CN", "DE", "GB", "JP", "FR", "BR", "IN", "KR", "CA", "NL", "RU", "IT", "AU", "ES", "SE",
             "PL", "MX", "ZA", "NG", "AR", "TR", "ID", "VN", "UA", "CH", "BE", "AT", "NO", "DK"]


def load(conn, ranges: int, salt: int) -> None:
    """Range i lies in the i-th slot of 2^32 / ranges addresses, leaving a random gap at both ends."""
    slot = 2 ** 32 // ranges
    edge = max(1, slot // 16)
    cases = " ".join(f"WHEN {i} THEN '{c}'" for i, c in enumerate(COUNTRIES))
    h = mix("i", salt)
    conn.executescript("CREATE TABLE ip_ranges (start_ip INTEGER PRIMARY KEY, end_ip INTEGER NOT NULL, "
                       "country TEXT NOT NULL);")
    conn.execute(f"""
        WITH RECURSIVE seq(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM seq WHERE i < {ranges - 1})
        INSERT INTO ip_ranges
        SELECT i * {slot} + {h} % {edge}, (i + 1) * {slot} - 1 - {h} / 64 % {edge},
               CASE (({h} / 4096 % 1000) * ({h} / 4096000 % 1000)) * {len(COUNTRIES)} / 1000000 {cases} END
        FROM seq""")


def ip(bits: int) -> str:
    return f"{bits >> 24 & 255}.{bits >> 16 & 255}.{bits >> 8 & 255}.{bits & 255}"


def build(spec, tier, seed: int) -> World:
    rng = random.Random(f"{spec.id}:{tier.name}:{seed}")
    salt = rng.randrange(1, PRIME)
    db, _ = loaded_database(spec.platform["db"], shared_load((spec.id, tier.name, seed),
                                                             lambda conn: load(conn, tier.size, salt)))
    batch = tier.params["batch"]
    requests = [Request({"ips": [ip(rng.getrandbits(32)) for _ in range(batch)]}) for _ in range(tier.requests)]
    return World(db.clock, {"db": db}, requests)
