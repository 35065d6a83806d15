"""API usage dashboard: per-endpoint request counts and latency quantiles of one account's day (skew)."""
