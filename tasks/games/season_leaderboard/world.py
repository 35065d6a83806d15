"""A mobile game's season leaderboard: the worker starts with every player's best score so far, then gets the
games that finished since its previous call, in order. Scores are skewed (most players sit low, a few
grind to the top); a share of the results comes from players new to the season.

Calls are made when the driver sends them, each from its own seeded generator.
"""
import random
from functools import lru_cache

from scaleblind.platforms.clock import VirtualClock
from scaleblind.platforms.generate import GeneratedRequests
from scaleblind.platforms.world import Request, World

MAX_SCORE = 1_000_000


def score(rng: random.Random) -> int:
    return min(MAX_SCORE, int(rng.paretovariate(1.3) * 2_000) - 2_000 + rng.randrange(50))


@lru_cache(maxsize=2)
def players(key: str, count: int) -> list[int]:
    """The ids of the players on the board at load, followed by ids of players new to the season: distinct
    ids scattered over 31 bits (an odd multiplier modulo 2^31 is a bijection). Kept: every call draws on them."""
    salt = random.Random(f"{key}:players").getrandbits(31)
    return [((i * 2_654_435_761) ^ salt) % 2**31 or 2**31 for i in range(1, count + count // 4 + 51)]


def call(key: str, index: int, count: int, per_call: int) -> Request:
    ids = players(key, count)
    rng = random.Random(f"{key}:call:{index}")
    if index == 0:
        return Request({"op": "load", "data": [[pid, score(rng)] for pid in ids[:count]]})
    fresh, results = ids[count:], []
    for _ in range(per_call):
        if rng.random() < 0.05:
            player = fresh[rng.randrange(len(fresh))]
        else:
            player = ids[int(rng.random() ** 2 * count)]          # regulars play more often
        results.append([player, score(rng)])
    return Request({"op": "results", "data": results})


def build(spec, tier, seed: int) -> World:
    key = f"{spec.id}:{tier.name}:{seed}"
    per_call = tier.params["per_call"]
    return World(VirtualClock(), {}, GeneratedRequests(tier.requests,
                                                       lambda i: call(key, i, tier.size, per_call)))
