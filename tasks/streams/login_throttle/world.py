"""A login service's failed-login stream, ten seconds per request: mostly one-off IPs (proxy networks, users who
mistype), plus attackers whose bursts cross the threshold, some of them across a chunk boundary, and slow
attackers who stay just under it.

Chunks are made when the driver sends them (a stream of a million events does not fit in memory twice).
"""
import random

from scaleblind.platforms.clock import VirtualClock
from scaleblind.platforms.generate import GeneratedRequests
from scaleblind.platforms.world import Request, World

CHUNK_MS = 10_000
START_MS = 1_767_225_600_000  # 2026-01-01T00:00:00Z


def ip(bits: int) -> str:
    return f"{bits >> 24 & 255}.{bits >> 16 & 255}.{bits >> 8 & 255}.{bits & 255}"


def bursts(rng: random.Random, chunks: int, per_chunk: float) -> list[list[tuple[int, str]]]:
    """Attack events per chunk: each attacker sends a burst of evenly spaced failures, fast (crossing the
    threshold) or slow (9 a minute, just under it); bursts may start near a chunk's end and run on."""
    out: list[list[tuple[int, str]]] = [[] for _ in range(chunks)]
    for _ in range(round(chunks * per_chunk)):
        start = START_MS + rng.randrange(chunks * CHUNK_MS)
        address = ip(rng.getrandbits(32))
        fast = rng.random() < 0.7
        count, gap = (rng.randint(6, 40), rng.randint(500, 5_000)) if fast else (rng.randint(10, 30), 6_700)
        for i in range(count):
            ts = start + i * gap
            if ts < START_MS + chunks * CHUNK_MS:
                out[(ts - START_MS) // CHUNK_MS].append((ts, address))
    return out


def chunk(key: str, index: int, size: int, regulars: int, attacks: list[tuple[int, str]]) -> Request:
    """Ten seconds of failures in time order: one-off IPs, regulars from a fixed pool, and the attacks."""
    rng = random.Random(f"{key}:chunk:{index}")
    start = START_MS + index * CHUNK_MS
    events = list(attacks)
    for _ in range(max(0, size - len(attacks))):
        bits = rng.getrandbits(64)
        source = bits >> 32 if bits & 3 else 0x0A000000 + (bits >> 32) % regulars  # a quarter from regulars
        events.append((start + (bits >> 2 & 0x3FFFFFFF) % CHUNK_MS, ip(source)))
    events.sort()
    return Request({"events": [{"ts_ms": ts, "ip": address} for ts, address in events]})


def build(spec, tier, seed: int) -> World:
    key = f"{spec.id}:{tier.name}:{seed}"
    rng = random.Random(key)
    attacks = bursts(rng, tier.requests, tier.params["attackers_per_minute"] * CHUNK_MS / 60_000)
    requests = GeneratedRequests(tier.requests, lambda i: chunk(key, i, tier.size, tier.params["regulars"],
                                                               attacks[i]))
    return World(VirtualClock(), {}, requests)
