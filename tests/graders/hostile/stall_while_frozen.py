"""Finding 8: freeze the driver (a reply bigger than the pipe, unread), then wait without using CPU.
Task reporting/top_products. Expected: timeout (the wall timeout still runs while the driver waits to write)."""
import select

import platform_client

BIG_REPLY = ("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c LIMIT 300000) "
             "SELECT x FROM c")


def top_products(db, since, until, by="net_sales", limit=10):
    platform_client._channel.send({"op": "call", "client": "db", "method": "execute", "sql": BIG_REPLY,
                                   "params": []})
    select.select([], [], [], 3600)
