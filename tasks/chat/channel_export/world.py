"""A Slack-like workspace behind a rate-limited API: a member directory and a busy channel whose messages come
from a few thousand distinct authors; the compliance team exports one date range of it.

The directory and the channel are made once per (task, tier, seed) and shared by the driver's two worlds.
"""
import bisect
import random
from functools import lru_cache

from scaleblind.platforms.api import ApiConfig, ApiSimulator
from scaleblind.platforms.clock import VirtualClock
from scaleblind.platforms.world import Request, World

FIRST = ["ana", "ben", "carla", "dev", "elena", "farid", "grace", "hugo", "ines", "jon", "kira", "liam",
         "maya", "noah", "olga", "pavel", "quinn", "rosa", "sam", "tara", "umar", "vera", "wes", "yui", "zoe"]
LAST = ["adams", "baker", "chen", "diaz", "evans", "fischer", "garcia", "haddad", "ito", "jones", "khan",
        "lopez", "meyer", "nguyen", "okafor", "patel", "quinn", "rossi", "smith", "tanaka", "ueda", "vogel"]
WORDS = ["deploy", "review", "ticket", "customer", "invoice", "refund", "shipped", "call", "today", "tomorrow",
         "please", "thanks", "blocked", "done", "merged", "incident", "update", "docs", "meeting", "ok"]
START_TS = 1_767_225_600       # 2026-01-01T00:00:00Z, in seconds
CHANNEL = "C0GENERAL"


@lru_cache(maxsize=2)
def workspace(key: str, users: int, messages: int, authors: int) -> tuple[tuple, tuple]:
    """(directory of (id, name, email) in id order, messages of (ts, user, text) oldest first)."""
    rng = random.Random(key)
    directory = []
    for n in range(users):
        first, last = rng.choice(FIRST), rng.choice(LAST)
        directory.append((f"U{n * 7919 % 1_000_003 + 1_000_000:07d}{n % 10}", f"{first.title()} {last.title()}",
                          f"{first}.{last}{n}@example.com"))
    directory.sort()
    posters = rng.sample(range(users), authors)
    weights = [1.0 / (i + 1) ** 0.7 for i in range(authors)]               # a few talk a lot
    ts, out = START_TS, []
    for user in rng.choices(posters, weights, k=messages):
        ts += 1 + rng.randrange(40)
        out.append((ts, directory[user][0], " ".join(rng.choices(WORDS, k=3 + rng.randrange(8)))))
    return tuple(directory), tuple(out)


def endpoints(directory: tuple, messages: tuple) -> dict:
    by_id = {user[0]: user for user in directory}
    stamps = [m[0] for m in messages]

    def as_user(user: tuple) -> dict:
        return {"id": user[0], "name": user[1], "email": user[2]}

    def conversations_history(channel: str, oldest: int = 0, latest: int | None = None, cursor: str | None = None,
                              limit: int = 100) -> dict:
        if channel != CHANNEL:
            return {"items": [], "next_cursor": None}
        low = bisect.bisect_left(stamps, oldest)
        high = bisect.bisect_left(stamps, latest) if latest is not None else len(stamps)
        if cursor is not None:
            high = min(high, bisect.bisect_left(stamps, int(cursor)))
        page = messages[max(low, high - limit):high][::-1]
        items = [{"ts": ts, "user": user, "text": text} for ts, user, text in page]
        return {"items": items, "next_cursor": str(page[-1][0]) if high - limit > low else None}

    def users_info(user: str) -> dict:
        found = by_id.get(user)
        return {"user": as_user(found) if found else None}

    def users_list(cursor: str | None = None, limit: int = 100) -> dict:
        start = bisect.bisect_right(directory, (cursor, "\uffff")) if cursor else 0
        page = directory[start:start + limit]
        more = start + limit < len(directory)
        return {"items": [as_user(u) for u in page], "next_cursor": page[-1][0] if more else None}

    return {"conversations_history": conversations_history, "users_info": users_info, "users_list": users_list}


def build(spec, tier, seed: int) -> World:
    params = tier.params
    key = f"{spec.id}:{tier.name}:{seed}"
    directory, messages = workspace(key, tier.size, params["messages"], params["authors"])
    clock = VirtualClock()
    api = ApiSimulator(clock, endpoints(directory, messages), ApiConfig.from_spec(spec.platform["api"]))
    rng = random.Random(f"{key}:ranges")
    requests = []
    span = messages[-1][0] - messages[0][0]
    for n in range(tier.requests):
        if n == 0:                                            # the whole period
            oldest, latest = messages[0][0], messages[-1][0] + 1
        else:
            oldest = messages[0][0] + rng.randrange(span // 2)
            latest = oldest + span // 3
        requests.append(Request({"channel": CHANNEL, "oldest": oldest, "latest": latest}))
    return World(clock, {"api": api}, requests)
