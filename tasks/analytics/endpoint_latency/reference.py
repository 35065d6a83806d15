"""Reference: the database does the counting and the ranking. One query counts each endpoint's requests (an
index-only range); a second reads each wanted rank with `ORDER BY duration_ms LIMIT 1 OFFSET rank - 1` on the
index (account_id, day, endpoint, duration_ms), all in one UNION ALL: a few dozen rows come back, however
many requests the account made."""
import math

QUANTILES = (("p50_ms", 50), ("p95_ms", 95), ("p99_ms", 99))


def latency_report(db, account_id, day):
    counts = db.execute("SELECT endpoint, COUNT(*) FROM request_log WHERE account_id = ? AND day = ? "
                        "GROUP BY endpoint", [account_id, day])
    if not counts:
        return []
    one = ("SELECT * FROM (SELECT ?, ?, duration_ms FROM request_log WHERE account_id = ? AND day = ? "
           "AND endpoint = ? ORDER BY duration_ms LIMIT 1 OFFSET ?)")
    parts, params = [], []
    for endpoint, n in counts:
        for key, q in QUANTILES:
            parts.append(one)
            params += [endpoint, key, account_id, day, endpoint, math.ceil(q * n / 100) - 1]
    values = {(endpoint, key): ms for endpoint, key, ms in db.execute(" UNION ALL ".join(parts), params)}
    report = [{"endpoint": endpoint, "requests": n, **{key: values[endpoint, key] for key, _ in QUANTILES}}
              for endpoint, n in counts]
    report.sort(key=lambda row: (-row["requests"], row["endpoint"]))
    return report
