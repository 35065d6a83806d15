"""Filters: narrowing a large catalog without pulling all of it."""
