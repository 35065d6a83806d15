"""Finding 7 (the solution's memory charged to the driver): an export that writes 200 MB to its output stream,
which the driver keeps to check (the old limit, 512 MB, let the driver's memory grow with it).
Task exports/orders_csv. Expected: the sink's 400 at 64 MB, raised in the solution: crash at demo."""


def export_orders(db, out, **kwargs):
    line = "x" * (1024 * 1024 - 1) + "\n"
    for _ in range(200):
        out.write(line)
