"""Finding 1 (memory evaded) with 8 (driver frozen): task reporting/top_products, memory budget 128 MB.

Per request: ask for a platform reply bigger than the pipe buffer and do not read it (the old driver blocked in
write() and measured nothing); meanwhile hold 300 MB; free it; try to reset the kernel's high-water mark by
writing 5 to /proc/self/clear_refs (by its absolute path, and relative to a dir_fd of /proc/self); then read the
reply and answer correctly. Expected: over_memory at demo, whichever meter measures.
"""
import os

import platform_client

BIG_REPLY = ("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c LIMIT 300000) "
             "SELECT x FROM c")


def _freeze_the_driver_and_bloat():
    channel = platform_client._channel
    channel.send({"op": "call", "client": "db", "method": "execute", "sql": BIG_REPLY, "params": []})
    hog = bytearray(300 * 1024 * 1024)
    for offset in range(0, len(hog), 4096):
        hog[offset] = 1
    del hog
    for attempt in (lambda: open("/proc/self/clear_refs", "w"),
                    lambda: os.fdopen(os.open("clear_refs", os.O_WRONLY, dir_fd=os.open("/proc/self", os.O_RDONLY)), "w")):
        try:
            with attempt() as handle:
                handle.write("5")
        except OSError:
            pass
    channel.recv()


def top_products(db, since, until, by="net_sales", limit=10):
    _freeze_the_driver_and_bloat()
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
