"""Naive (one lookup per address): for each IP, ask for the range that contains it."""


def countries(db, ips):
    found = []
    for address in ips:
        a, b, c, d = (int(part) for part in address.split("."))
        number = a << 24 | b << 16 | c << 8 | d
        rows = db.execute("SELECT country FROM ip_ranges WHERE start_ip <= ? AND end_ip >= ? "
                          "ORDER BY start_ip DESC LIMIT 1", [number, number])
        found.append(rows[0][0] if rows else None)
    return {"countries": found}
