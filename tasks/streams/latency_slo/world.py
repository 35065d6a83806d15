"""A service's request latencies: the worker starts with the last 15 minutes, then gets one second per call.
Mostly tens of milliseconds, a slow tail, the odd timeout, and slow spells that lift the tail for minutes.

Chunks are made when the driver sends them, each from its own seeded generator.
"""
import math
import random

from scaleblind.platforms.clock import VirtualClock
from scaleblind.platforms.generate import GeneratedRequests
from scaleblind.platforms.world import Request, World

CHUNK_MS = 1_000
WINDOW_MS = 900_000
START_MS = 1_767_225_600_000  # 2026-01-01T00:00:00Z, when the worker starts
MAX_LATENCY_MS = 60_000       # the load balancer's timeout


def latencies(rng: random.Random, count: int, ts_from: int, span_ms: int) -> list[list[int]]:
    """`count` samples in (ts_from, ts_from + span_ms], in time order. A slow spell (tail latencies tripled)
    covers two minutes in every ten."""
    rand, samples = rng.random, []
    for _ in range(count):
        ts = ts_from + 1 + int(rand() * span_ms)
        slow = 1.0 + 2.0 * ((ts // 60_000) % 10 >= 8)
        roll = rand()
        if roll < 0.0005:
            latency = MAX_LATENCY_MS
        else:
            latency = min(MAX_LATENCY_MS, int(slow * math.exp(3.4 + 0.8 * rng.gauss(0.0, 1.0) + (roll < 0.02) * 2.5)))
        samples.append([ts, latency])
    samples.sort()
    return samples


def chunk(key: str, index: int, rate: float) -> Request:
    """Call 0 is the start: the last 15 minutes of samples. Call i covers the i-th second after it."""
    rng = random.Random(f"{key}:chunk:{index}")
    if index == 0:
        return Request({"now_ms": START_MS, "samples": latencies(rng, int(rate * WINDOW_MS / 1000),
                                                                 START_MS - WINDOW_MS, WINDOW_MS)})
    count = int(rate) + (rng.random() < rate - int(rate))
    start = START_MS + (index - 1) * CHUNK_MS
    return Request({"now_ms": start + CHUNK_MS, "samples": latencies(rng, count, start, CHUNK_MS)})


def build(spec, tier, seed: int) -> World:
    key = f"{spec.id}:{tier.name}:{seed}"
    rate = tier.params["per_second"]
    return World(VirtualClock(), {}, GeneratedRequests(tier.requests, lambda i: chunk(key, i, rate)))
