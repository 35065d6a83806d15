"""Finding 6: free CPU before "ready": 6 s of computing at module level (imports included count against an
allowance of 1.5 s; the rest is charged to the first request), then the reference's one call per request.
Task filters/faceted_catalog (p95 budget 800 ms). Expected: over_latency at demo."""
import time

_started = time.process_time()
_table = 0
while time.process_time() - _started < 6.0:
    _table += 1


def filter_products(api, filters, page=1, per_page=24):
    params = {key: value for key, value in filters.items() if value is not None}
    found = api.search_products(page=page, per_page=per_page, facets=["brand"], **params)
    return {"total": found["total"], "product_ids": [item["id"] for item in found["items"]],
            "brand_counts": found["facets"]["brand"]}
