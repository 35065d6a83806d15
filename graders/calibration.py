"""A fixed CPU workload run in the same sandbox, same interpreter, same run as the solution.

Compute time is reported in *reference milliseconds*: measured CPU time scaled so that this workload costs
exactly `REFERENCE_MS`. A machine twice as fast halves both, so budgets and verdicts do not move.

On a shared host the CPU time a piece of work takes drifts with the load (caches, the host's other guests), so
the driver calibrates right before each tier, as the solution uid, the median of RUNS fresh processes, each
timing only the work itself (its own CPU clock around `work()`, not the interpreter's start): the factor of a
tier is measured under the conditions the tier runs in (`benchmarks/calibration_spread.py` prints the spread).
"""
# About what the work takes on the machine the budgets were set on. It was 150 ms when the calibration timed
# the whole process; timing only the work measures 0.87 of that on the same machine (median of 40 pairs), so
# the figures solutions are normalised to stay where they were.
REFERENCE_MS = 131.0
RUNS = 5

# Pure-Python work of the kinds solutions do: dict building, sorting, string formatting, arithmetic.
WORKLOAD = r"""
import hashlib
def work():
    table = {}
    for i in range(60000):
        key = "k%07d" % ((i * 7919) % 100003)
        table[key] = table.get(key, 0) + i % 13
    rows = sorted(table.items(), key=lambda kv: (kv[1], kv[0]))
    text = ",".join("%s:%d" % kv for kv in rows[:20000])
    total = 0
    for i in range(150000):
        total += (i * i) % 97
    return len(text) + total + len(hashlib.sha256(text.encode()).hexdigest())
import time
_started = time.process_time_ns()
work()
print((time.process_time_ns() - _started) / 1e6)
"""


def factor(calibration_ms: float) -> float:
    """Multiply measured CPU ms by this to get reference ms."""
    return REFERENCE_MS / calibration_ms if calibration_ms > 0 else 1.0
