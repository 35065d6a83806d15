"""A fixed CPU workload run in the same sandbox, same interpreter, same run as the solution.

Compute time is reported in *reference milliseconds*: measured CPU time scaled so that this workload costs
exactly `REFERENCE_MS`. A machine twice as fast halves both, so budgets and verdicts do not move.

On a shared host the CPU time a piece of work takes drifts with the load (caches, the host's other guests), so
calibration is interleaved with the solution's work: a worker process of its own (started like the solution:
same interpreter, same uid) runs one unit of the workload whenever the driver asks, timed by its own CPU clock
around the work alone. The driver takes START_SAMPLES units right before each tier, then one more each time the
solution has used SAMPLE_EVERY_CPU_MS of CPU (between requests, while the solution waits), and normalises with
the median of the tier's samples so far (`benchmarks/calibration_spread.py` prints the spread).
"""
# What one unit costs on the machine the budgets were set on: there, the workload four units make, timed once
# per grading in a fresh process as the calibration used to be, took 150 ms. A unit in the warm worker measures
# UNIT_SHARE of that older figure on one machine (median of 30 interleaved pairs), so the figures solutions are
# normalised to stay where they were.
UNIT_SHARE = 0.19
REFERENCE_MS = 150.0 * UNIT_SHARE
START_SAMPLES = 8
SAMPLE_EVERY_CPU_MS = 200.0
MAX_SAMPLES = 400  # per tier: a bound on the wall time calibration adds

# Pure-Python work of the kinds solutions do: dict building, sorting, string formatting, arithmetic (a quarter
# of it per unit).
WORKER = r"""
import hashlib, sys, time
def work():
    table = {}
    for i in range(15000):
        key = "k%07d" % ((i * 7919) % 100003)
        table[key] = table.get(key, 0) + i % 13
    rows = sorted(table.items(), key=lambda kv: (kv[1], kv[0]))
    text = ",".join("%s:%d" % kv for kv in rows[:5000])
    total = 0
    for i in range(37500):
        total += (i * i) % 97
    return len(text) + total + len(hashlib.sha256(text.encode()).hexdigest())
work()  # warm-up: a process's first run is not like the later ones
for _ in sys.stdin:
    started = time.process_time_ns()
    work()
    sys.stdout.write("%.4f\n" % ((time.process_time_ns() - started) / 1e6))
    sys.stdout.flush()
"""


def factor(calibration_ms: float) -> float:
    """Multiply measured CPU ms by this to get reference ms (`calibration_ms`: the median unit)."""
    return REFERENCE_MS / calibration_ms if calibration_ms > 0 else 1.0
