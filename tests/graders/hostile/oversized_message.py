"""Finding 9: one message of 65 MB (the old driver re-scanned its buffer after every chunk: quadratic, and it
read on without checking its wall timeout). Task filters/faceted_catalog.
Expected: crash at demo (a message longer than 64 MB), found in linear time."""
import platform_client


def filter_products(api, filters, page=1, per_page=24):
    channel = platform_client._channel
    channel.wfile.write(b'{"op":"result","value":"' + b"x" * (65 * 1024 * 1024) + b'"}\n')
    channel.wfile.flush()
    return channel.recv()
