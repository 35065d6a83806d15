"""Reference: one query per batch. The batch's addresses go in as a VALUES list; for each, a correlated
subquery seeks the last range starting at or below it (the primary key), and the range counts only if it also
ends at or above it. Nothing is kept between calls, and each batch costs one round trip and a seek per
address."""
LOOKUP = """
WITH q(i, ip) AS (VALUES {values})
SELECT q.i, r.end_ip, r.country
FROM q LEFT JOIN ip_ranges AS r ON r.start_ip = (SELECT max(start_ip) FROM ip_ranges WHERE start_ip <= q.ip)
"""
CHUNK = 10_000  # addresses per query: two parameters each, under the parameter limit


def to_int(address):
    a, b, c, d = (int(part) for part in address.split("."))
    return a << 24 | b << 16 | c << 8 | d


def countries(db, ips):
    numbers = [to_int(address) for address in ips]
    found = [None] * len(ips)
    for start in range(0, len(numbers), CHUNK):
        part = numbers[start:start + CHUNK]
        params = [value for i, number in enumerate(part, start) for value in (i, number)]
        for index, end_ip, country in db.execute(LOOKUP.format(values=",".join(["(?, ?)"] * len(part))), params):
            if end_ip is not None and numbers[index] <= end_ip:
                found[index] = country
    return {"countries": found}
