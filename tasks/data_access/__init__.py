"""Data access: pages and tiles read from the shop's database, where the shape of the queries decides the cost."""
