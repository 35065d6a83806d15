"""A company's meeting rooms and their holds: one-off bookings around the day asked for, weekly and daily
series started any time in the last decade (some with a fixed number of occurrences), and in many rooms the
cleaning hold added in 2020: ten minutes every hour, with no end. The room finder asks for one day at a time.

Times are whole minutes since the UNIX epoch (UTC). Each request is made when the driver sends it.
"""
import random

from scaleblind.platforms.clock import VirtualClock
from scaleblind.platforms.generate import GeneratedRequests
from scaleblind.platforms.world import Request, World

DAY = 1440
WEEK = 7 * DAY
DAY_2014 = 16_071 * DAY         # 2014-01-01
DAY_2020_03 = 18_322 * DAY      # 2020-03-01
FIRST_DAY = 20_454 * DAY        # 2026-01-01, a Thursday: the first day asked for


def holds(rng: random.Random, rooms: int, cleaning_share: float) -> list[dict]:
    out = []
    for room in range(1, rooms + 1):
        if rng.random() < cleaning_share:
            out.append({"room_id": room, "start": DAY_2020_03 + rng.randrange(6) * 60 + rng.choice((0, 50)),
                        "minutes": 10, "every": 60, "count": None})
        for _ in range(rng.randrange(1, 5)):                                    # weekly meetings
            begin = rng.randrange(DAY_2014, FIRST_DAY + 3 * DAY) // DAY * DAY + rng.randrange(16, 38) * 30
            count = rng.choice((None, None, None, rng.randrange(4, 40)))
            out.append({"room_id": room, "start": begin, "minutes": rng.choice((30, 45, 60, 90)),
                        "every": rng.choice((WEEK, WEEK, 2 * WEEK)), "count": count})
        if rng.random() < 0.5:                                                  # a daily stand-up
            begin = rng.randrange(DAY_2014, FIRST_DAY) // DAY * DAY + rng.randrange(16, 24) * 30
            out.append({"room_id": room, "start": begin, "minutes": rng.choice((15, 30)), "every": DAY,
                        "count": rng.choice((None, None, rng.randrange(100, 3000)))})
        for _ in range(rng.randrange(0, 6)):                                    # one-off bookings
            begin = FIRST_DAY - DAY + rng.randrange(5 * DAY // 15) * 15
            out.append({"room_id": room, "start": begin, "minutes": rng.choice((15, 30, 60, 120, 240)),
                        "every": None, "count": rng.choice((None, 1))})
    rng.shuffle(out)
    return out


def request(key: str, index: int, rooms: int, cleaning_share: float) -> Request:
    rng = random.Random(f"{key}:holds")
    day_start = FIRST_DAY + index * DAY
    return Request({"holds": holds(rng, rooms, cleaning_share), "day_start": day_start, "day_end": day_start + DAY})


def build(spec, tier, seed: int) -> World:
    key = f"{spec.id}:{tier.name}:{seed}"
    share = tier.params["cleaning_share"]
    return World(VirtualClock(), {}, GeneratedRequests(tier.requests, lambda i: request(key, i, tier.size, share)))
