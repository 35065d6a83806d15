"""Admin order list with customer and line-item details, under a per-request query cap (N+1 queries)."""
