"""Finding 6: module-level code that never finishes. Task filters/faceted_catalog (p95 800 ms, 10 requests).
Expected: over_latency at demo, stopped once its CPU exceeds what the whole tier may take (long before the
60 s wall timeout)."""
while True:
    pass


def filter_products(api, filters, page=1, per_page=24):
    return {}
