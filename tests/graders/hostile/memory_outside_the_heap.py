"""Finding 7 (memory the driver was charged for): task reporting/top_products, memory budget 128 MB.

Holds 300 MB in anonymous memfd files (48 MB each, under the file-size limit; made from a fresh `posix`
module, since the bootstrap hides os.memfd_create) while answering correctly: not in the process's resident set, so a VmHWM meter never sees it,
and in the old driver it counted against the container until the OOM killer took the driver. Expected with the
cgroup meter: over_memory at demo.
"""
import _imp
import os

MB = 1024 * 1024
_kept = []


def _memfd_ram(size):
    posix = _imp.create_builtin(type("Spec", (), {"name": "posix"})())
    block = b"\1" * MB
    for _ in range(size // (48 * MB)):
        fd = posix.memfd_create("hidden")
        for _ in range(48):
            os.write(fd, block)
        _kept.append(fd)


def top_products(db, since, until, by="net_sales", limit=10):
    if not _kept:
        _memfd_ram(6 * 48 * MB)
    metric = "units" if by == "units" else "net"
    rows = db.execute(
        "SELECT t.product_id, p.title, t.units, t.net FROM ("
        "  SELECT product_id, SUM(quantity) AS units, SUM(net_sales_cents) AS net FROM sales_lines"
        "  WHERE happened_at >= ? AND happened_at < ? GROUP BY product_id"
        f"  ORDER BY {metric} DESC, product_id LIMIT ?) AS t "
        f"JOIN products p ON p.id = t.product_id ORDER BY t.{metric} DESC, t.product_id",
        [since, until, limit])
    return [{"product_id": pid, "title": title, "units": units, "net_sales_cents": net}
            for pid, title, units, net in rows]
