"""The store's inventory table and the warehouse's stock snapshots (one line per bin, hand-typed SKUs)."""
import random

from scaleblind.platforms.clock import VirtualClock
from scaleblind.platforms.database import DatabaseConfig, DatabaseSimulator
from scaleblind.platforms.generate import without_gc
from scaleblind.platforms.world import Request, World

FAMILIES = ["TEE", "HOOD", "CAP", "SOCK", "MUG", "BAG", "PIN", "POST", "BOTL", "NOTE"]
SIZES = ["XS", "S", "M", "L", "XL", "OS"]
AISLES = "ABCDEFGHJK"
WAREHOUSES = ["Reno NV", "Allentown PA", "Dallas TX", "Atlanta GA"]
LOCATIONS = 4


def make_skus(n: int, rng: random.Random, start: int = 10000) -> list[str]:
    bits = rng.getrandbits
    return [f"{FAMILIES[(r := bits(16)) % 10]}-{start + i}-{SIZES[(r >> 4) % 6]}" for i in range(n)]


def hand_typed(sku: str, r: int) -> str:
    """About 1 line in 8 comes lower-cased or with stray whitespace."""
    if r % 16 == 0:
        return sku.lower()
    if r % 16 == 1:
        return sku + " "
    return sku


def make_snapshot(skus: list[str], extra: list[str], rng: random.Random) -> tuple[list[dict], dict[str, int]]:
    """Lines sorted by bin, and the true quantity per SKU. ~3% of store SKUs have no line, ~10% two bins."""
    bits = rng.getrandbits
    lines, totals = [], {}
    known = len(skus)
    for i, sku in enumerate(skus + extra):
        r = bits(32)
        if r % 100 < 3 and i < known:
            continue
        bins = 2 if (r >> 7) % 10 == 0 else 1
        total = 0
        for b in range(bins):
            quantity = (r >> (12 + 5 * b)) % 40
            total += quantity
            lines.append({"sku": hand_typed(sku, (r >> 24) + b),
                          "bin": f"{AISLES[(r >> 3) % 10]}{(r >> 8 + b) % 40:02d}-{b + 1}", "quantity": quantity})
        totals[sku] = total
    lines.sort(key=lambda line: line["bin"])
    return lines, totals


def drift(lines: list[dict], rng: random.Random, share: float) -> list[dict]:
    """The next snapshot: the same lines, with ~share of them changed by picks and put-aways."""
    lines = list(lines)
    for _ in range(max(1, int(len(lines) * share))):
        i = rng.randrange(len(lines))
        line = lines[i]
        lines[i] = {**line, "quantity": max(0, line["quantity"] + rng.choice([-3, -2, -1, 1, 2, 5]))}
    return lines


@without_gc
def build(spec, tier, seed: int) -> World:
    rng = random.Random(f"{spec.id}:{tier.name}:{seed}")
    locations = int(tier.params.get("locations", LOCATIONS))
    per_location = tier.size // locations
    skus = make_skus(per_location, rng)
    rows, snapshots = [], []
    bits = rng.getrandbits
    for location_id in range(1, locations + 1):
        extra = make_skus(max(1, per_location // 100), rng, start=10000 + per_location + location_id * 1000)
        lines, totals = make_snapshot(skus, extra, rng)
        snapshots.append(lines)
        for sku in skus:
            r = bits(16)
            on_hand = totals.get(sku, r % 20)
            if r % 100 < 3:
                on_hand += 1 + (r >> 7) % 6                          # drift: the store thinks it has more
            rows.append((location_id, sku, on_hand))

    clock = VirtualClock()
    db = DatabaseSimulator(clock, DatabaseConfig.from_spec(spec.platform.get("db", {})))
    db.conn.execute("CREATE TABLE locations (id INTEGER PRIMARY KEY, name TEXT)")
    db.conn.executemany("INSERT INTO locations VALUES (?, ?)",
                        [(i, WAREHOUSES[(i - 1) % len(WAREHOUSES)]) for i in range(1, locations + 1)])
    db.conn.execute("CREATE TABLE inventory_levels (location_id INTEGER, sku TEXT, on_hand INTEGER, "
                    "PRIMARY KEY (location_id, sku)) WITHOUT ROWID")
    db.conn.executemany("INSERT INTO inventory_levels VALUES (?, ?, ?)", rows)
    db.seal()

    requests = []
    for index in range(tier.requests):
        location_id = index % locations + 1
        requests.append(Request({"location_id": location_id, "feed": snapshots[location_id - 1]}))
        snapshots[location_id - 1] = drift(snapshots[location_id - 1], rng, 0.01)
    return World(clock, {"db": db}, requests)
