"""Finding 7: an honest-looking bug, an endpoint argument of the wrong type (`page="two"`): the endpoint's own
int(page) raised ValueError inside the driver. Task filters/faceted_catalog.
Expected: the platform's 400 naming the argument, raised in the solution: crash at demo."""


def filter_products(api, filters, page=1, per_page=24):
    return api.list_products(page="two", per_page=per_page)
