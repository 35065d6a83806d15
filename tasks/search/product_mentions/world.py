"""A catalog of product names and a help desk's daily tickets, which mention products in free text (any case,
with punctuation, sometimes a name half-typed)."""
import random
import sqlite3

from scaleblind.platforms.database import loaded_database
from scaleblind.platforms.database_writes import shared_load
from scaleblind.platforms.world import Request, World

BRANDS = ["aero", "nimbus", "terra", "volt", "lumen", "orbit", "pixel", "summit", "harbor", "zephyr", "atlas",
          "ember", "fjord", "granite", "halo", "ion", "juniper", "kite", "lotus", "mesa", "nova", "onyx", "prism",
          "quartz", "ridge", "sable", "tundra", "umbra", "vista", "willow", "yukon", "zen"]
MODELS = ["2", "3", "x", "pro", "max", "mini", "lite", "plus", "se", "ultra", "air", "go", "one", "5", "7", "gtx"]
NOUNS = ["desk lamp", "headphones", "backpack", "kettle", "blender", "router", "keyboard", "mouse", "monitor",
         "speaker", "charger", "tent", "sleeping bag", "water bottle", "jacket", "running shoe", "watch",
         "camera", "tripod", "drone", "scooter", "helmet", "mug", "chair", "standing desk", "earbuds", "tablet",
         "phone case", "power bank", "smart plug", "thermostat", "doorbell", "light strip", "air purifier"]
FILLER = ("hi my order arrived but the box was damaged and the item does not turn on can you help i bought it "
          "last week for my son it was a gift please advise thanks the app says delivered but nothing came is "
          "there a warranty how do i return it the color is wrong i wanted the pro version not the lite one my "
          "previous one worked fine it stopped charging after two days").split()
STYLES = [str.lower, str.upper, str.title, lambda s: s.replace(" ", "-"), lambda s: s.replace(" ", "  "),
          lambda s: s + ",", lambda s: "(" + s + ")", lambda s: s.capitalize() + "!"]
START_EPOCH = 1_748_736_000  # 2025-06-01


def product_names(n: int, rng: random.Random) -> list[str]:
    names = []
    for _ in range(n):
        r = rng.random()
        brand, noun = rng.choice(BRANDS).title(), rng.choice(NOUNS).title()
        if r < 0.55:
            names.append(f"{brand} {rng.choice(MODELS).title()} {noun}")
        elif r < 0.85:
            names.append(f"{brand} {noun}")
        else:
            names.append(f"{brand} {rng.choice(MODELS).upper()}-{rng.randrange(10, 100)}")
    return names


def ticket_text(names: list[str], rng: random.Random) -> tuple[str, str]:
    """A subject and a body: filler words with 0 to 3 product names (styled), and near-misses."""
    words = [rng.choice(FILLER) for _ in range(rng.randrange(20, 60))]
    for _ in range(int(rng.random() ** 1.5 * 4)):
        name = rng.choice(names)
        if rng.random() < 0.2:
            name = " ".join(name.split()[:-1]) or name   # half-typed: the last word missing
        words.insert(rng.randrange(len(words) + 1), rng.choice(STYLES)(name))
    cut = rng.randrange(3, 8)
    return " ".join(words[:cut]).capitalize(), " ".join(words[cut:]) + "."


def fill(conn: sqlite3.Connection, params: dict, seed: int) -> None:
    rng = random.Random(seed)
    names = product_names(params["products"], rng)
    conn.execute("CREATE TABLE products (id INTEGER PRIMARY KEY, name TEXT NOT NULL)")
    conn.executemany("INSERT INTO products VALUES (?, ?)", list(enumerate(names, start=1)))
    conn.execute("CREATE TABLE tickets (id INTEGER PRIMARY KEY, day TEXT NOT NULL, subject TEXT NOT NULL, "
                 "body TEXT NOT NULL)")
    rows = []
    for day in params["days"]:
        for _ in range(params["per_day"]):
            rows.append((day, *ticket_text(names, rng)))
    conn.executemany("INSERT INTO tickets (day, subject, body) VALUES (?, ?, ?)", rows)
    conn.execute("CREATE INDEX tickets_day ON tickets (day)")
    conn.commit()


def build(spec, tier, seed: int) -> World:
    days = ("2025-06-02", "2025-06-03")
    params = {"products": tier.size, "per_day": tier.params["tickets_per_day"], "days": days}
    share = (spec.id, tier.name, seed, tuple(sorted(params.items())))  # filled once, page-copied after
    salt = random.Random(f"{spec.id}:{tier.name}:{seed}").getrandbits(64)
    db, _ = loaded_database(spec.platform["db"], shared_load(share, lambda conn: fill(conn, params, salt)))
    return World(db.clock, {"db": db}, [Request({"day": day}) for day in days[:tier.requests]])
