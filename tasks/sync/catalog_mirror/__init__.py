"""Incremental mirror of a remote product catalog through a paginated, rate-limited API (updated_at_min)."""
