"""A store's catalog behind a Shopify-like API that changes between sync runs, and the runs of the sync job.

The job runs once a minute: before each run (after the first) the clock moves to the next minute boundary and
the merchant's edits of the past minute land in the catalog with `updated_at` stamps inside that gap.
"""
import bisect
import random
import time as _time

from scaleblind.platforms.api import ApiConfig, ApiSimulator
from scaleblind.platforms.clock import VirtualClock
from scaleblind.platforms.errors import BadRequest
from scaleblind.platforms.world import Request, World

EPOCH_S = 1_767_225_600  # 2026-01-01T00:00:00Z, where the solution's virtual clock starts too
YEAR_S = 365 * 86400
RUN_EVERY_MS = 60_000.0
KINDS = ["Tee", "Hoodie", "Parka", "Sneakers", "Backpack", "Beanie", "Chinos", "Fleece", "Boots", "Socks"]
COLORS = ["Black", "Navy", "Olive", "Sand", "Grey", "Rust", "White", "Teal"]


def iso(seconds: int) -> str:
    return _time.strftime("%Y-%m-%dT%H:%M:%SZ", _time.gmtime(seconds))


class Catalog:
    """Products by id, plus a sorted index of (updated_at, id) for the updated_at_min filter and paging."""

    def __init__(self, tier, rng: random.Random):
        self.rng = rng
        self.tier = tier
        self.products: dict[int, dict] = {}
        self.order: list[tuple[str, int]] = []
        self.runs = 0
        n = tier.size
        stamps = sorted(EPOCH_S - YEAR_S + int(rng.random() * (YEAR_S - 3600)) for _ in range(n))
        for pid in range(1, n + 1):
            self.products[pid] = self._new(pid, iso(stamps[pid - 1]), rng.random() < 0.85)
        self.order = sorted((p["updated_at"], pid) for pid, p in self.products.items())
        self.next_id = n + 1

    def _new(self, pid: int, stamp: str, active: bool) -> dict:
        rng = self.rng
        return {"id": pid, "title": f"{rng.choice(COLORS)} {rng.choice(KINDS)} {pid}",
                "status": "active" if active else rng.choice(["draft", "archived"]),
                "price_cents": rng.randrange(900, 25000, 100) - 1, "inventory": rng.randrange(0, 200),
                "updated_at": stamp}

    def _put(self, product: dict) -> None:
        old = self.products.get(product["id"])
        if old is not None:
            del self.order[bisect.bisect_left(self.order, (old["updated_at"], old["id"]))]
        self.products[product["id"]] = product
        bisect.insort(self.order, (product["updated_at"], product["id"]))

    def next_run(self, clock: VirtualClock) -> None:
        """Called at the start of each run: from the second on, a minute passes and the merchant edits things."""
        self.runs += 1
        if self.runs == 1:
            return
        last_activity_s = EPOCH_S + int(clock.now_ms // 1000)
        target = (clock.now_ms // RUN_EVERY_MS + 1) * RUN_EVERY_MS
        clock.advance(target - clock.now_ms)
        now_s = EPOCH_S + int(clock.now_ms // 1000)
        rng = self.rng
        edits = []
        for pid in rng.sample(range(1, self.next_id), self.tier.params["edits_per_run"]):
            product = dict(self.products[pid])  # a new object: never mutate what a client may hold
            roll = rng.random()
            if roll < 0.5:
                product["inventory"] = max(0, product["inventory"] + rng.randrange(-20, 21))
            elif roll < 0.85:
                product["price_cents"] = rng.randrange(900, 25000, 100) - 1
            else:
                product["status"] = rng.choice([s for s in ("active", "draft", "archived") if s != product["status"]])
            edits.append(product)
        for _ in range(self.tier.params["new_per_run"]):
            edits.append(self._new(self.next_id, "", rng.random() < 0.7))
            self.next_id += 1
        for product in edits:  # one rng.random() per stamp: the edits must not depend on the clock's reading
            product["updated_at"] = iso(last_activity_s + 1 + int(rng.random() * (now_s - last_activity_s)))
            self._put(product)

    def page(self, updated_at_min: str | None, limit: int, page_info: str | None) -> dict:
        if page_info is not None:
            try:
                stamp, last_id = page_info.split("|")
                start = bisect.bisect_right(self.order, (stamp, int(last_id)))
            except ValueError:
                raise BadRequest("400: invalid page_info") from None
        else:
            start = bisect.bisect_left(self.order, (updated_at_min or "", 0))
        keys = self.order[start:start + limit]
        items = [dict(self.products[pid]) for _, pid in keys]
        more = start + limit < len(self.order)
        return {"items": items, "next_page_info": f"{keys[-1][0]}|{keys[-1][1]}" if keys and more else None}


class CatalogApi(ApiSimulator):
    """The Admin API; each request of the driver is one run of the sync job."""

    def __init__(self, clock: VirtualClock, catalog: Catalog, config: ApiConfig):
        def list_products(updated_at_min: str | None = None, limit: int = 50, page_info: str | None = None) -> dict:
            return catalog.page(updated_at_min, limit, page_info)

        super().__init__(clock, {"list_products": list_products}, config)
        self.catalog = catalog

    def start_request(self) -> None:
        super().start_request()
        self.catalog.next_run(self.clock)


def build(spec, tier, seed: int) -> World:
    rng = random.Random(f"{spec.id}:{tier.name}:{seed}")
    catalog = Catalog(tier, rng)
    clock = VirtualClock()
    api = CatalogApi(clock, catalog, ApiConfig.from_spec(spec.platform["api"]))
    requests = [Request({"shop": tier.params["shop"]}) for _ in range(tier.requests)]
    return World(clock, {"api": api}, requests)
