"""Daily revenue by category over a date range of up to a year, read from the shop's order tables."""
