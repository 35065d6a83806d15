"""A fixed CPU workload run in the same sandbox, same interpreter, same run as the solution.

Compute time is reported in *reference milliseconds*: measured CPU time scaled so that this workload costs
exactly `REFERENCE_MS`. A machine twice as fast halves both, so budgets and verdicts do not move.
"""
REFERENCE_MS = 150.0  # about what it takes on the machine the budgets were set on
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
work()
"""


def factor(calibration_ms: float) -> float:
    """Multiply measured CPU ms by this to get reference ms."""
    return REFERENCE_MS / calibration_ms if calibration_ms > 0 else 1.0
