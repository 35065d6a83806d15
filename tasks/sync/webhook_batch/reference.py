"""Reference: pace to the published limit with a local token bucket, honour Retry-After, back off on 503."""
RATE_PER_S = 1.0
BURST = 10
MARGIN_S = 0.005  # clocks are never exact: wait a hair longer than the limiter asks


def deliver_batch(api, events):
    try:  # the platform's clock (virtual time); the driver also runs this function in its own process
        from platform_client import RateLimited, now_ms, sleep
    except ImportError:  # pragma: no cover - outside the benchmark
        import time
        from platform_client import RateLimited
        now_ms, sleep = (lambda: time.monotonic() * 1000.0), time.sleep

    receipts = {}
    tokens, last = float(BURST), now_ms()
    for event in events:
        backoff = 1.0
        while True:
            now = now_ms()
            tokens = min(BURST, tokens + (now - last) / 1000.0 * RATE_PER_S)
            last = now
            if tokens < 1.0 - 1e-6:  # wait for the next slot (the clock moves exactly by the sleep)
                wait_s = (1.0 - tokens) / RATE_PER_S + MARGIN_S
                sleep(wait_s)
                tokens, last = tokens + wait_s * RATE_PER_S, last + wait_s * 1000.0
            tokens -= 1.0
            try:
                response = api.post_webhook(event_id=event["id"], payload=event)
            except RateLimited as exc:
                tokens = 0.0
                sleep(exc.retry_after + MARGIN_S)
                continue
            if response["status"] == 200:
                receipts[event["id"]] = response["receipt"]
                break
            sleep(backoff)  # 503: the receiver is down for a few seconds
            backoff = min(backoff * 2, 16.0)
    return {"receipts": receipts}
