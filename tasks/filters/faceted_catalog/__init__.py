"""Faceted product filter with brand counts, behind a paginated, rate-limited catalog API."""
