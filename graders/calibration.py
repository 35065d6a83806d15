"""A fixed CPU workload run in the same sandbox, same interpreter, same run as the solution.

Compute time is reported in *reference milliseconds*: measured CPU time scaled so that this workload costs
exactly `REFERENCE_MS`. A machine twice as fast halves both, so budgets and verdicts do not move.

On a shared host the CPU time a piece of work takes drifts with the load (caches, the host's other guests), so
calibration is interleaved with the solution's work: a trusted worker process of its own (started like the
solution: same interpreter and flags, same container) runs one unit of the workload whenever the driver asks,
timed by its own CPU clock around the work alone. The driver takes START_SAMPLES units right before each tier,
then one more each time the solution has used SAMPLE_EVERY_CPU_MS of CPU (between requests, while the solution
waits), and normalises with the lower quartile of the tier's samples so far: on a busy host a unit's time has a
long upper tail (a unit preempted and its caches thrashed), and the lower quartile is the most stable estimate
of the machine's speed (`benchmarks/calibration_spread.py` prints the spread).
"""
import math

# What one unit costs on the machine the budgets were set on: there, the workload four units make, timed once
# per grading in a fresh process as the calibration used to be, took 150 ms. A unit in the warm worker measures
# UNIT_SHARE of that older figure (the lower quartile of 8 units against one whole-process run, median of 24
# interleaved pairs on one machine), so the figures solutions are normalised to stay where they were.
UNIT_SHARE = 0.17
REFERENCE_MS = round(150.0 * UNIT_SHARE, 3)
START_SAMPLES = 16
SAMPLE_EVERY_CPU_MS = 100.0
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


def unit_ms(samples: list[float]) -> float:
    """The calibration's estimate of one unit's CPU ms: the lower quartile (nearest rank) of the samples."""
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(0.25 * len(ordered)) - 1)]


def factor(calibration_ms: float) -> float:
    """Multiply measured CPU ms by this to get reference ms (`calibration_ms`: `unit_ms` of the samples)."""
    return REFERENCE_MS / calibration_ms if calibration_ms > 0 else 1.0
