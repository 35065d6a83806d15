"""Catalog data, the catalog API's endpoints, and the filter requests a shopper sends."""
import random
from functools import lru_cache

from scaleblind.platforms.api import ApiConfig, ApiSimulator
from scaleblind.platforms.clock import VirtualClock
from scaleblind.platforms.errors import BadRequest
from scaleblind.platforms.world import Request, World

CATEGORIES = ["shoes", "jackets", "shirts", "trousers", "dresses", "bags", "hats", "socks", "watches",
              "belts", "scarves", "gloves"]
BRANDS = [f"brand-{i:02d}" for i in range(40)]
COLORS = ["black", "white", "red", "blue", "green", "grey", "brown", "pink"]
SIZES = ["XS", "S", "M", "L", "XL", "XXL"]
VARIANT_FILTERS = ("colors", "sizes", "price_min", "price_max", "in_stock_only")


def make_catalog(size: int, rng: random.Random) -> list[dict]:
    """Products with 3 to 5 variants; one random draw per field keeps growth generation to about a second."""
    products, rand, choice = [], rng.random, rng.choice
    for pid in range(1, size + 1):
        base = 1500 + int(rand() * 28500)
        variants = [{"sku": f"P{pid}-{v}", "color": COLORS[int(rand() * 8)], "size": SIZES[int(rand() * 6)],
                     "price": base + int(rand() * 3000), "in_stock": rand() < 0.7}
                    for v in range(3 + int(rand() * 3))]
        products.append({"id": pid, "title": f"Product {pid}", "category": choice(CATEGORIES),
                         "brand": choice(BRANDS), "variants": variants})
    return products


def variant_matches(variant: dict, f: dict) -> bool:
    return ((not f.get("colors") or variant["color"] in f["colors"])
            and (not f.get("sizes") or variant["size"] in f["sizes"])
            and (f.get("price_min") is None or variant["price"] >= f["price_min"])
            and (f.get("price_max") is None or variant["price"] <= f["price_max"])
            and (not f.get("in_stock_only") or variant["in_stock"]))


def matches(product: dict, f: dict) -> bool:
    return ((not f.get("category") or product["category"] == f["category"])
            and (not f.get("brands") or product["brand"] in f["brands"])
            and any(variant_matches(v, f) for v in product["variants"]))


FILTER_KEYS = {"category", "brands", "colors", "sizes", "price_min", "price_max", "in_stock_only"}


def brand_counts(products: list[dict], f: dict) -> dict[str, int]:
    """Checkbox-facet counts: per brand, the products matching every filter except the brand filter."""
    others = {k: v for k, v in f.items() if k != "brands"}
    counts: dict[str, int] = {}
    for p in products:
        if matches(p, others):
            counts[p["brand"]] = counts.get(p["brand"], 0) + 1
    return counts


def check_filters(filters: dict) -> None:
    unknown = set(filters) - FILTER_KEYS
    if unknown:
        raise BadRequest(f"400: unknown filter(s) {sorted(unknown)}; filters: {sorted(FILTER_KEYS)}")


def endpoints(catalog: list[dict]) -> dict:
    by_category: dict[str, list[dict]] = {}
    for product in catalog:
        by_category.setdefault(product["category"], []).append(product)

    def candidates(filters: dict) -> list[dict]:
        """The server's own category index: searches scan one category, not the catalog."""
        return by_category.get(filters["category"], []) if filters.get("category") else catalog

    def list_products(page: int = 1, per_page: int = 50) -> dict:
        start = (max(1, int(page)) - 1) * per_page
        return {"items": catalog[start:start + per_page], "page": page,
                "total_pages": max(1, -(-len(catalog) // per_page))}

    def search_products(page: int = 1, per_page: int = 50, facets: list | None = None, **filters) -> dict:
        check_filters(filters)
        if facets not in (None, [], ["brand"]):
            raise BadRequest('400: facets may only be ["brand"]')
        pool = candidates(filters)
        found = [p for p in pool if matches(p, filters)]
        start = (max(1, int(page)) - 1) * per_page
        body = {"items": [{"id": p["id"], "title": p["title"]} for p in found[start:start + per_page]],
                "total": len(found)}
        if facets:
            body["facets"] = {"brand": brand_counts(pool, filters)}
        return body

    return {"list_products": list_products, "search_products": search_products}


def random_filters(rng: random.Random) -> dict:
    filters: dict = {"category": rng.choice(CATEGORIES)}
    if rng.random() < 0.6:
        filters["brands"] = rng.sample(BRANDS, rng.randint(2, 6))
    if rng.random() < 0.6:
        filters["colors"] = rng.sample(COLORS, rng.randint(1, 3))
    if rng.random() < 0.4:
        filters["sizes"] = rng.sample(SIZES, rng.randint(1, 3))
    if rng.random() < 0.5:
        low = rng.randrange(1500, 15000)
        filters["price_min"], filters["price_max"] = low, low + rng.randrange(2000, 15000)
    if rng.random() < 0.5:
        filters["in_stock_only"] = True
    return filters


@lru_cache(maxsize=2)
def cached_catalog(task_id: str, tier_name: str, size: int, seed: int) -> tuple[list[dict], random.Random]:
    """The driver builds each world twice (oracle, solution); the catalog is read-only, so share it."""
    rng = random.Random(f"{task_id}:{tier_name}:{seed}")
    return make_catalog(size, rng), rng.getstate()


def build(spec, tier, seed: int) -> World:
    catalog, state = cached_catalog(spec.id, tier.name, tier.size, seed)
    rng = random.Random()
    rng.setstate(state)
    clock = VirtualClock()
    api = ApiSimulator(clock, endpoints(catalog), ApiConfig.from_spec(spec.platform["api"]))
    requests = [Request({"filters": random_filters(rng), "page": rng.choice([1, 1, 1, 2]), "per_page": 24})
                for _ in range(tier.requests)]
    return World(clock, {"api": api}, requests)
