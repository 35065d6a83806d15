"""Checkout quote from a price history: an interval predicate an index can bound on one end only."""
