"""Reference: counts per latency value (latencies are whole milliseconds up to 60,000) plus counts per block
of 256 values, and a queue of the window's samples for expiry. A chunk costs time in proportion to its own
samples, and a percentile is a walk over at most 235 blocks and one block's values, whatever the window holds."""
from collections import deque

WINDOW_MS = 15 * 60 * 1000
MAX_LATENCY = 60_000
BLOCK = 256

_counts = [0] * (MAX_LATENCY + 1)
_blocks = [0] * (MAX_LATENCY // BLOCK + 1)
_window = deque()   # (ts_ms, latency_ms) in time order


def _kth(k):
    """The k-th smallest latency in the window (1-based)."""
    for block, count in enumerate(_blocks):
        if k <= count:
            for value in range(block * BLOCK, min(MAX_LATENCY, block * BLOCK + BLOCK - 1) + 1):
                k -= _counts[value]
                if k <= 0:
                    return value
        k -= count
    raise ValueError("k is larger than the window")


def record_latencies(now_ms, samples):
    for ts, latency in samples:
        _window.append((ts, latency))
        _counts[latency] += 1
        _blocks[latency // BLOCK] += 1
    while _window and _window[0][0] <= now_ms - WINDOW_MS:
        _, latency = _window.popleft()
        _counts[latency] -= 1
        _blocks[latency // BLOCK] -= 1
    n = len(_window)
    if not n:
        return {"count": 0, "p50": None, "p99": None}
    return {"count": n, "p50": _kth((50 * n + 99) // 100), "p99": _kth((99 * n + 99) // 100)}
