"""Reference: let the catalog's search endpoint filter and count server-side: one call per request, whatever
the catalog size."""


def filter_products(api, filters, page=1, per_page=24):
    params = {key: value for key, value in filters.items() if value is not None}
    found = api.search_products(page=page, per_page=per_page, facets=["brand"], **params)
    return {"total": found["total"], "product_ids": [item["id"] for item in found["items"]],
            "brand_counts": found["facets"]["brand"]}
