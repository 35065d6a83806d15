"""A product table with a normalised, indexed name column, and shoppers typing into the search box."""
import random

from scaleblind.platforms.database import loaded_database
from scaleblind.platforms.world import Request, World

ONSETS = ["b", "br", "c", "ch", "cl", "d", "dr", "f", "fl", "g", "gr", "h", "j", "k", "kr", "l", "m", "n", "p",
          "pr", "r", "s", "sh", "sk", "sn", "st", "t", "tr", "v", "w", "z", "qu", "sl", "pl", "bl", "gl"]
NUCLEI = ["a", "e", "i", "o", "u", "ai", "ea", "oo", "ou", "y"]
CODAS = ["", "n", "r", "l", "x", "k", "m", "s", "nd", "rt", "st", "ck"]
LINES = ["Classic", "Pro", "Ultra", "Lite", "Trail", "Urban", "Everyday", "Compact", "Premium", "Eco",
         "Travel", "Max", "Mini", "Sport", "Active", "Studio", "Outdoor", "Essential", "Signature", "Air"]
KINDS = ["Running Shoes", "Rain Jacket", "Backpack", "Water Bottle", "Desk Lamp", "Headphones", "T-Shirt",
         "Hoodie", "Sneakers", "Watch", "Wallet", "Sunglasses", "Yoga Mat", "Coffee Maker", "Blender",
         "Keyboard", "Mouse", "Monitor Stand", "Tent", "Sleeping Bag", "Duffel Bag", "Socks 3-Pack", "Beanie",
         "Fleece", "Chino Pants", "Denim Jacket", "Travel Mug", "Phone Case", "Charger", "Earbuds"]

SCHEMA = """
CREATE TABLE products (id INTEGER PRIMARY KEY, name TEXT NOT NULL, name_norm TEXT COLLATE NOCASE NOT NULL,
                       popularity INTEGER NOT NULL);
"""
INDEXES = "CREATE INDEX products_by_name_norm ON products (name_norm);"


def brand_names(rng: random.Random, count: int) -> list[str]:
    names = set()
    while len(names) < count:
        word = "".join(rng.choice(ONSETS) + rng.choice(NUCLEI) + rng.choice(CODAS)
                       for _ in range(rng.randint(2, 3)))
        names.add(word.capitalize())
    return sorted(names)


def generate(tier, rng: random.Random) -> list[tuple]:
    brands = brand_names(rng, tier.params["brands"])
    n = tier.size
    b = rng.choices(range(len(brands)), k=n)
    lines = rng.choices(LINES, k=n)
    kinds = rng.choices(KINDS, k=n)
    pops = [int(rng.paretovariate(1.1) * 10) for _ in range(n)]  # a few best-sellers, a long tail
    rows = []
    for i in range(n):
        name = f"{brands[b[i]]} {lines[i]} {kinds[i]}"
        rows.append((i + 1, name, name.lower(), pops[i]))
    return rows


def typed_prefixes(rows: list[tuple], rng: random.Random, count: int) -> list[str]:
    """What shoppers type: 2 to 12 characters of a product's name, in any case, sometimes padded."""
    out = []
    for k in range(count):
        name = rng.choice(rows)[1]
        text = name[:rng.randint(2, min(12, len(name)))]
        style = k % 4
        if style == 1:
            text = text.lower()
        elif style == 2:
            text = text.upper()
        elif style == 3:
            text = " " + text.lower() + " "
        out.append(text)
    out[-1] = "Qz"  # nothing starts with it
    return out


def build(spec, tier, seed: int) -> World:
    rng = random.Random(f"{spec.id}:{tier.name}:{seed}")
    rows = generate(tier, rng)

    def fill(conn) -> None:
        conn.executescript(SCHEMA)
        conn.executemany("INSERT INTO products VALUES (?, ?, ?, ?)", rows)
        conn.executescript(INDEXES)

    db, _ = loaded_database(spec.platform["db"], fill)
    clock = db.clock
    requests = [Request({"q": q}) for q in typed_prefixes(rows, rng, tier.requests)]
    return World(clock, {"db": db}, requests)
