"""Naive (the obvious rolling window): keep the window's samples in a deque, drop expired ones, and sort the
window's latencies to read the percentiles, on every chunk."""
from collections import deque

WINDOW_MS = 15 * 60 * 1000

_window = deque()


def record_latencies(now_ms, samples):
    _window.extend((ts, latency) for ts, latency in samples)
    while _window and _window[0][0] <= now_ms - WINDOW_MS:
        _window.popleft()
    latencies = sorted(latency for _, latency in _window)
    n = len(latencies)
    if not n:
        return {"count": 0, "p50": None, "p99": None}
    return {"count": n, "p50": latencies[(50 * n + 99) // 100 - 1], "p99": latencies[(99 * n + 99) // 100 - 1]}
