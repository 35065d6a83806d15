"""Reference: one queue of the last minute's failures (oldest first) and a count per IP of what is in it.
Failures leave the queue as the stream moves on, and an IP whose count drops to zero is forgotten, so the
state holds one minute of traffic however long the worker runs."""
from collections import deque

WINDOW_MS = 60_000
THRESHOLD = 10

_times = deque()    # ts_ms of the failures in the trailing minute, oldest first
_ips = deque()      # their IPs, in the same order
_counts = {}        # ip -> its failures in the queue


def record_failures(events):
    block = set()
    for event in events:
        ts, address = event["ts_ms"], event["ip"]
        while _times and _times[0] <= ts - WINDOW_MS:
            _times.popleft()
            old = _ips.popleft()
            left = _counts[old] - 1
            if left:
                _counts[old] = left
            else:
                del _counts[old]
        _times.append(ts)
        _ips.append(address)
        count = _counts.get(address, 0) + 1
        _counts[address] = count
        if count >= THRESHOLD:
            block.add(address)
    return {"block": sorted(block)}
