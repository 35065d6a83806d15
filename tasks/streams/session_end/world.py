"""A mobile app's event stream, one second per call: users open the app, send a few events over a few minutes
and go idle; now and then one comes back after about half an hour, just before or just after the session's
idle limit. The worker starts with the stream, so open sessions pile up for the first half hour.

The events are made once per (task, tier, seed), as one sorted array; each call slices its second.
"""
import random
from array import array
from bisect import bisect_right
from functools import lru_cache

from scaleblind.platforms.clock import VirtualClock
from scaleblind.platforms.generate import GeneratedRequests
from scaleblind.platforms.world import Request, World

CHUNK_MS = 1_000
IDLE_MS = 1_800_000
START_MS = 1_767_225_600_000  # 2026-01-01T00:00:00Z, when the worker starts
USERS = 5_000_000
USER_BITS = 23                # user ids < 2^23, packed below the time offset


@lru_cache(maxsize=2)
def stream(key: str, calls: int, sessions_per_s: float) -> array:
    """Every event of the stream as (ts - START_MS) << USER_BITS | user, sorted (time order; equal times by
    user). Sessions start uniformly over the stream; each has 1 to 8 events a few seconds to two minutes
    apart, and one in 25 has a gap of 28 to 32 minutes somewhere."""
    rng = random.Random(key)
    rand, span = rng.random, calls * CHUNK_MS
    packed = array("q")
    append = packed.append
    for _ in range(int(sessions_per_s * span / 1000)):
        user = 1 + int(rand() * USERS)
        ts = int(rand() * span)
        for _ in range(1 + int(rand() * rand() * 8)):
            if ts >= span:
                break
            append(ts << USER_BITS | user)
            ts += 3_000 + int(rand() * 117_000) if rand() > 0.04 else IDLE_MS - 120_000 + int(rand() * 240_000)
    return array("q", sorted(packed))


def chunk(events: array, index: int) -> Request:
    """Call `index` at now = START_MS + (index + 1) * CHUNK_MS, with the events in (now - CHUNK_MS, now]."""
    lo = bisect_right(events, (index * CHUNK_MS) << USER_BITS | (2**USER_BITS - 1))
    hi = bisect_right(events, ((index + 1) * CHUNK_MS) << USER_BITS | (2**USER_BITS - 1))
    mask = 2**USER_BITS - 1
    # a chunk starts just after the previous now: events at exactly the previous now belong to the previous call
    return Request({"now_ms": START_MS + (index + 1) * CHUNK_MS,
                    "events": [[e & mask, START_MS + (e >> USER_BITS)] for e in events[lo:hi]]})


def build(spec, tier, seed: int) -> World:
    events = stream(f"{spec.id}:{tier.name}:{seed}", tier.requests, tier.params["sessions_per_s"])
    return World(VirtualClock(), {}, GeneratedRequests(tier.requests, lambda i: chunk(events, i)))
