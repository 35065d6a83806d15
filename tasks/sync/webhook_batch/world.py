"""A partner's webhook endpoint behind a per-second rate limit that answers 429, with short outages (503).

Each request of the driver is one hourly batch: before it, the clock moves to the next hour (the rate-limit
bucket is full again) and the endpoint's outage windows for that hour are fixed (deterministic per run).
"""
import hashlib
import random

from scaleblind.platforms.api import ApiConfig, ApiSimulator
from scaleblind.platforms.clock import VirtualClock
from scaleblind.platforms.world import Request, World

HOUR_MS = 3_600_000.0
TYPES = ["order.created", "order.paid", "order.fulfilled", "refund.created", "customer.updated"]


class WebhookEndpoint(ApiSimulator):
    """POST /hooks: 200 with a receipt, or 503 while the receiver is briefly down; 429 from the rate limiter."""

    def __init__(self, clock: VirtualClock, config: ApiConfig, secret: str, outages: list[list[tuple]]):
        super().__init__(clock, {"post_webhook": self._post}, config)
        self.secret = secret
        self.outages = outages
        self.run = -1
        self.run_start_ms = 0.0

    def start_request(self) -> None:
        super().start_request()
        self.run += 1
        if self.run > 0:
            self.clock.advance((self.clock.now_ms // HOUR_MS + 1) * HOUR_MS - self.clock.now_ms)
        self.run_start_ms = self.clock.now_ms

    def _post(self, event_id: str, payload: dict) -> dict:
        offset = self.clock.now_ms - self.run_start_ms
        windows = self.outages[self.run] if 0 <= self.run < len(self.outages) else []
        if any(start <= offset < end for start, end in windows):
            return {"status": 503, "error": "Service Unavailable: the receiver is restarting"}
        digest = hashlib.sha256(f"{self.secret}:{event_id}".encode()).hexdigest()[:16]
        return {"status": 200, "receipt": f"rcpt_{digest}"}


def build(spec, tier, seed: int) -> World:
    rng = random.Random(f"{spec.id}:{tier.name}:{seed}")
    secret = f"{rng.getrandbits(64):016x}"
    batch = tier.size
    requests, outages, next_id = [], [], 1
    for _ in range(tier.requests):
        events = []
        for _ in range(batch):
            events.append({"id": f"evt_{next_id:07d}", "type": rng.choice(TYPES),
                           "order_id": rng.randrange(100_000, 999_999), "total_cents": rng.randrange(500, 50_000)})
            next_id += 1
        requests.append(Request({"events": events}))
        windows = []
        for _ in range(tier.params["outages_per_run"]):  # spread over the time the batch needs at 1/s
            start = rng.uniform(0, batch * 1000.0)
            windows.append((start, start + rng.uniform(2000.0, 6000.0)))
        outages.append(sorted(windows))
    clock = VirtualClock()
    api = WebhookEndpoint(clock, ApiConfig.from_spec(spec.platform["api"]), secret, outages)
    return World(clock, {"api": api}, requests)
