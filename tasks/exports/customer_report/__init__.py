"""Per-customer lifetime report (orders, lifetime value, last order) exported to CSV."""
