"""Products with titles and descriptions, the search team's inverted index `terms`, and shoppers' queries."""
import random
import re

from scaleblind.platforms.database import loaded_database
from scaleblind.platforms.world import Request, World

TITLE_WEIGHT = 3
COLORS = ["black", "white", "navy", "olive", "grey", "red", "sand", "teal", "rust", "forest"]
MATERIALS = ["merino", "cotton", "linen", "leather", "nylon", "fleece", "denim", "canvas", "bamboo", "recycled"]
ADJECTIVES = ["waterproof", "lightweight", "insulated", "breathable", "packable", "slim", "relaxed",
              "stretch", "quilted", "vintage", "organic", "reflective", "heavyweight", "cropped", "oversized"]
KINDS = ["jacket", "hoodie", "parka", "vest", "shirt", "tee", "sweater", "cardigan", "jeans", "chinos",
         "shorts", "leggings", "dress", "skirt", "socks", "beanie", "scarf", "gloves", "backpack", "tote",
         "sneakers", "boots", "sandals", "cap", "belt", "blanket", "towel", "apron", "pajamas", "robe"]
USES = ["hiking", "running", "travel", "commuting", "yoga", "camping", "cycling", "climbing", "lounging",
        "skiing", "festivals", "the office", "rainy days", "city walks", "weekends"]
FEATURES = ["zip pockets", "a hood", "taped seams", "thumb loops", "a drawcord hem", "pit zips",
            "a laptop sleeve", "ribbed cuffs", "a chest pocket", "reinforced knees"]
TEMPLATES = [
    "{a} {m} {k} for {u}.",
    "{a} {k} with {f}, made for {u}.",
    "{m} {k}: {a}, with {f}.",
    "A {a} {k} for {u} and {u2}.",
]
TOKEN = re.compile(r"[a-z0-9]+")


def tokens(text: str) -> list[str]:
    return TOKEN.findall(text.lower())


def count(words: list[str]) -> dict[str, int]:
    out: dict[str, int] = {}
    for word in words:
        out[word] = out.get(word, 0) + 1
    return out


def listing_pool(rng: random.Random, size: int) -> list[tuple[str, str, list]]:
    """Distinct listings (title, description, sorted word weights); products reuse them."""
    pool = []
    for _ in range(size):
        adj, color, material, kind = (rng.choice(ADJECTIVES), rng.choice(COLORS), rng.choice(MATERIALS),
                                      rng.choice(KINDS))
        words = [adj, color, material, kind] if rng.random() < 0.6 else [color, material, kind]
        title = " ".join(w.capitalize() for w in words)
        description = rng.choice(TEMPLATES).format(a=rng.choice(ADJECTIVES), k=kind, m=material, u=rng.choice(USES),
                                                   u2=rng.choice(USES), f=rng.choice(FEATURES))
        description = description[0].upper() + description[1:]
        weights = count(tokens(description))
        for word, c in count(tokens(title)).items():
            weights[word] = weights.get(word, 0) + TITLE_WEIGHT * c
        pool.append((title, description, sorted(weights.items())))
    return pool


def load(conn, tier, rng: random.Random) -> None:
    """Products in Python; the terms rows are expanded by SQLite from the listings' weights, in key order (fast).

    Products sharing a listing (the same title and description, e.g. one item imported per size) get
    consecutive ids, so (term, listing) order is also (term, product_id) order.
    """
    listings = listing_pool(rng, tier.params["listings"])
    n = tier.size
    chosen = sorted(rng.choices(range(len(listings)), k=n))
    popularity = [int(10 * (1.0 - rng.random()) ** (-1 / 1.1)) for _ in range(n)]  # Pareto: a few best-sellers
    conn.executescript(SCHEMA)
    conn.executemany("INSERT INTO products VALUES (?, ?, ?, ?)",
                     [(i + 1, listings[chosen[i]][0], listings[chosen[i]][1], popularity[i]) for i in range(n)])
    first: dict[int, int] = {}
    last: dict[int, int] = {}
    for i, k in enumerate(chosen):
        first.setdefault(k, i + 1)
        last[k] = i + 1
    conn.execute("CREATE TEMP TABLE listing_terms (term TEXT, lo INTEGER, hi INTEGER, weight INTEGER)")
    conn.executemany("INSERT INTO listing_terms VALUES (?, ?, ?, ?)",
                     sorted((word, first[k], last[k], w) for k in first for word, w in listings[k][2]))
    conn.execute("INSERT INTO terms SELECT lt.term, p.id, lt.weight FROM listing_terms AS lt "
                 "JOIN products AS p ON p.id BETWEEN lt.lo AND lt.hi ORDER BY lt.rowid, p.id")
    conn.execute("DROP TABLE temp.listing_terms")


SCHEMA = """
CREATE TABLE products (id INTEGER PRIMARY KEY, title TEXT NOT NULL, description TEXT NOT NULL,
                       popularity INTEGER NOT NULL);
CREATE TABLE terms (term TEXT NOT NULL, product_id INTEGER NOT NULL, weight INTEGER NOT NULL,
                    PRIMARY KEY (term, product_id)) WITHOUT ROWID;
"""


def queries(rng: random.Random, count_: int) -> list[str]:
    out = []
    for k in range(count_):
        n = rng.choice([1, 2, 2, 3, 3])
        vocab = [rng.choice(KINDS), rng.choice(MATERIALS), rng.choice(ADJECTIVES), rng.choice(COLORS),
                 rng.choice(USES).split()[-1]]
        words = rng.sample(vocab, n)
        text = " ".join(words)
        if k % 3 == 1:
            text = text.title() + "!"
        elif k % 3 == 2:
            text = "  " + ", ".join(words).upper()
        out.append(text)
    out[-1] = "gore-tex " + out[-1]  # an unknown word among known ones
    return out


def build(spec, tier, seed: int) -> World:
    rng = random.Random(f"{spec.id}:{tier.name}:{seed}")
    db, _ = loaded_database(spec.platform["db"], lambda conn: load(conn, tier, rng))
    clock = db.clock
    requests = [Request({"query": q}) for q in queries(rng, tier.requests)]
    return World(clock, {"db": db}, requests)
