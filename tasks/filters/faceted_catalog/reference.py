"""Reference: let the API filter and count server-side; two calls per request whatever the catalog size."""


def filter_products(api, filters, page=1, per_page=24):
    params = {key: value for key, value in filters.items() if value not in (None, [], False)}
    found = api.search_products(page=page, per_page=per_page, **params)
    counts = api.facet_counts(field="brand", **params)
    return {"total": found["total"], "product_ids": [item["id"] for item in found["items"]],
            "brand_counts": counts["counts"]}
