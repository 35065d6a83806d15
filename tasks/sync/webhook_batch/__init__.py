"""Deliver a batch of webhooks to a partner endpoint under a per-second limit (429 + Retry-After) with retries."""
