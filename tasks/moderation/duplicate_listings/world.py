"""An hour of new marketplace listings, passed in as data: titles made of stock words that most listings share
("new", "free shipping", a colour), a brand, a product type and a model code or two; some sellers repost
the same item with small edits, which are the near-duplicates to find.

Each batch is made when the driver sends it, from its own seeded generator.
"""
import random

from scaleblind.platforms.clock import VirtualClock
from scaleblind.platforms.generate import GeneratedRequests
from scaleblind.platforms.world import Request, World

STOCK = ["new", "for", "with", "and", "free", "shipping", "black", "white", "sale", "men", "women", "pro",
         "original", "genuine", "best", "set", "2024", "fast", "uk", "us"]
STOCK_WEIGHTS = [30, 26, 22, 20, 16, 16, 12, 10, 10, 8, 8, 8, 7, 6, 6, 5, 5, 4, 3, 3]
SYLLABLES = ["ka", "lo", "mi", "ra", "ton", "vex", "zu", "pri", "del", "sor", "ban", "qui", "ne", "ox", "ul",
             "fa", "gri", "hel", "jo", "wen"]
CODE_CHARS = "abcdefghjkmnpqrstuvwxyz"


def word(rng: random.Random, syllables: int) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(syllables))


def code(rng: random.Random) -> str:
    """A model code such as 'xk-4410' or 'Q7 200' (one or two tokens once split)."""
    letters = "".join(rng.choice(CODE_CHARS) for _ in range(rng.choice((1, 2, 2, 3))))
    digits = str(rng.randrange(10, 100_000))
    return rng.choice((f"{letters}{digits}", f"{letters}{digits}", f"{letters}-{digits}", f"{letters.upper()}{digits}"))


def fresh_title(rng: random.Random, brands: list[str], kinds: list[str]) -> str:
    stock = []
    while len(stock) < rng.choice((2, 3, 3, 4)):
        pick = rng.choices(STOCK, STOCK_WEIGHTS)[0]
        if pick not in stock:
            stock.append(pick)
    words = [rng.choice(brands).title(), rng.choice(kinds), code(rng)] + stock[:2]
    if rng.random() < 0.4:
        words.append(code(rng))
    words += stock[2:]
    if rng.random() < 0.3:
        words.insert(1, "-")
    return " ".join(words)


def edited(rng: random.Random, title: str) -> str:
    """A repost: usually one stock word added or dropped, sometimes a new code (no longer a duplicate),
    sometimes only case and punctuation changed."""
    words = title.split()
    roll = rng.random()
    if roll < 0.25:
        words.append(rng.choices(STOCK, STOCK_WEIGHTS)[0])
    elif roll < 0.45 and len(words) > 5:
        words.pop(rng.randrange(3, len(words)))
    elif roll < 0.6:
        words[2] = code(rng)
    elif roll < 0.75:
        words.insert(rng.randrange(len(words) + 1), rng.choices(STOCK, STOCK_WEIGHTS)[0])
        words.insert(rng.randrange(len(words) + 1), rng.choices(STOCK, STOCK_WEIGHTS)[0])
    else:
        words = [w.upper() if rng.random() < 0.3 else w for w in words]
        return " / ".join(words) if rng.random() < 0.5 else ", ".join(words)
    return " ".join(words)


def batch(key: str, index: int, size: int) -> Request:
    rng = random.Random(f"{key}:batch:{index}")
    vocab = random.Random(f"{key}:vocabulary")
    brands = sorted({word(vocab, 3) for _ in range(max(20, size // 8))})
    kinds = sorted({word(vocab, 3) for _ in range(max(10, size // 200))})
    titles: list[str] = []
    for _ in range(size):
        if titles and rng.random() < 0.12:
            source = titles[rng.randrange(len(titles))]
            for _ in range(1 + (rng.random() < 0.05) * rng.randrange(1, 12)):     # some sellers repost a lot
                if len(titles) < size:
                    titles.append(edited(rng, source))
        elif len(titles) < size:
            titles.append(fresh_title(rng, brands, kinds))
    if index == 0:
        titles[:2] = ["!!!", "- / -"]                                               # no tokens at all
    rng.shuffle(titles)
    first_id = 1 + index * 10 * size
    ids = sorted(rng.sample(range(first_id, first_id + 10 * size), size))
    return Request({"listings": [{"id": i, "title": t} for i, t in zip(ids, titles)]})


def build(spec, tier, seed: int) -> World:
    key = f"{spec.id}:{tier.name}:{seed}"
    return World(VirtualClock(), {}, GeneratedRequests(tier.requests, lambda i: batch(key, i, tier.size)))
