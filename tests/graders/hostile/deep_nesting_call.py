"""Finding 7: a platform call nested 100 levels deep (parses, but deeper than any real argument).
Task filters/faceted_catalog. Expected: the platform's 400, raised in the solution: crash at demo."""


def filter_products(api, filters, page=1, per_page=24):
    deep = []
    for _ in range(100):
        deep = [deep]
    return api.search_products(category=deep)
