"""Sync: keeping data in step with rate-limited remote APIs (mirrors, webhook delivery)."""
