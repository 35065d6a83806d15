"""Finding 7: strings that are not valid Unicode (a lone surrogate) in a call and in the answer.
Task filters/faceted_catalog. Expected: crash at demo (the 400 for the call, raised in the solution)."""


def filter_products(api, filters, page=1, per_page=24):
    try:
        api.search_products(category="\ud800")
    except Exception:
        pass
    return {"total": 0, "product_ids": [], "brand_counts": {"\udfff": 1}}
