"""Naive (SQLite has no percentile function, so compute it in Python): fetch the account's durations for the
day, group them by endpoint, sort each group and pick the nearest ranks. Correct; but every request the account
made that day crosses the wire, which for the integration partner is ~400,000 rows per dashboard view."""
import math


def latency_report(db, account_id, day):
    durations = {}
    for endpoint, ms in db.execute("SELECT endpoint, duration_ms FROM request_log WHERE account_id = ? AND day = ?",
                                   [account_id, day]):
        durations.setdefault(endpoint, []).append(ms)
    report = []
    for endpoint, values in durations.items():
        values.sort()
        n = len(values)
        report.append({"endpoint": endpoint, "requests": n, "p50_ms": values[math.ceil(0.50 * n) - 1],
                       "p95_ms": values[math.ceil(0.95 * n) - 1], "p99_ms": values[math.ceil(0.99 * n) - 1]})
    report.sort(key=lambda row: (-row["requests"], row["endpoint"]))
    return report
