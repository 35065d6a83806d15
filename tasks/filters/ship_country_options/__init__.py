"""The "ship to country" filter options of a store's order list: DISTINCT over a giant tenant's index range."""
