"""Finding 9: a message that never ends, one byte at a time (the old driver read on without its wall timeout).
Task reporting/top_products. Expected: timeout."""
import os
import select

import platform_client


def top_products(db, since, until, by="net_sales", limit=10):
    channel = platform_client._channel
    channel.wfile.write(b'{"op":"result","value":"')
    channel.wfile.flush()
    while True:
        os.write(channel.wfile.fileno(), b"x")
        select.select([], [], [], 0.01)
