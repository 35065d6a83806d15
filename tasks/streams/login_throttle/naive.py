"""Naive (the textbook sliding-window limiter): a deque of timestamps per IP, trimmed when that IP is seen
again. An IP that never comes back keeps its entry forever, so memory grows with every IP ever seen."""
from collections import defaultdict, deque

WINDOW_MS = 60_000
THRESHOLD = 10

_failures = defaultdict(deque)


def record_failures(events):
    block = set()
    for event in events:
        ts, address = event["ts_ms"], event["ip"]
        window = _failures[address]
        while window and window[0] <= ts - WINDOW_MS:
            window.popleft()
        window.append(ts)
        if len(window) >= THRESHOLD:
            block.add(address)
    return {"block": sorted(block)}
