"""Place an order: reserve stock for every line or none, recording the order; one wholesale order holds thousands of lines."""
