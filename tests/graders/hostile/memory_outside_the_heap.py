"""Finding 7 (memory the driver was charged for): task reporting/top_products, memory budget 128 MB.

Holds about 300 MB outside its heap while answering correctly: in anonymous memfd files (48 MB each, under the
file-size limit; made from a fresh `posix` module, since the bootstrap hides os.memfd_create), or, where memfd
is refused (the Docker sandbox's seccomp profile), in files on the writable tmpfs mounts. Neither is in the
process's resident set, so a VmHWM meter never sees it, and in the old driver it counted against the container
until the OOM killer took the driver. Expected with the cgroup meter: over_memory at demo.
"""
import _imp
import os

MB = 1024 * 1024
_kept = []


def _hidden_file(posix, n):
    try:
        return posix.memfd_create("hidden")
    except OSError:
        for folder in (os.getcwd(), "/tmp", "/dev/shm"):
            try:
                return os.open(os.path.join(folder, f".hidden-{n}"), os.O_RDWR | os.O_CREAT, 0o600)
            except OSError:
                continue
        raise


def _memfd_ram(size):
    posix = _imp.create_builtin(type("Spec", (), {"name": "posix"})())
    block = b"\1" * MB
    for n in range(size // (48 * MB)):
        fd = _hidden_file(posix, n)
        _kept.append(fd)
        try:
            for _ in range(48):
                os.write(fd, block)
        except OSError:  # a full tmpfs: move on to the next file (it may land on another mount)
            continue


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
