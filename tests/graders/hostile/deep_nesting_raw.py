"""Finding 7: a line of 200,000 open brackets (the old driver's json.loads raised RecursionError).
Task filters/faceted_catalog. Expected: crash at demo (a message that is not JSON)."""
import platform_client


def filter_products(api, filters, page=1, per_page=24):
    channel = platform_client._channel
    channel.wfile.write(b'{"op":"call","client":"api","method":"list_products","kwargs":' + b"[" * 200_000 + b"\n")
    channel.wfile.flush()
    return channel.recv()
