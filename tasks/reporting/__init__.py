"""Reporting: aggregates over months of sales, where the aggregation must happen next to the data."""
