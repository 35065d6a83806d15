"""Finding 7: messages of the wrong shape: an `op` that is an object, then an answer nested 100 levels deep.
Task filters/faceted_catalog. Expected: crash at demo (a protocol violation)."""
import platform_client


def filter_products(api, filters, page=1, per_page=24):
    channel = platform_client._channel
    channel.send({"op": {"result": 1}})
    deep = []
    for _ in range(100):
        deep = [deep]
    return deep
