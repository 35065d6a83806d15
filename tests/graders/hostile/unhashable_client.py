"""Finding 7: a platform message whose `client` is a list (unhashable: the old driver raised TypeError).
Task filters/faceted_catalog. Expected: the platform's 400, raised in the solution: crash at demo."""
import platform_client


def filter_products(api, filters, page=1, per_page=24):
    return platform_client._call({"op": "call", "client": ["api"], "method": "list_products", "kwargs": {}})
