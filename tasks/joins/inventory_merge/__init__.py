"""Reconcile the 3PL warehouse stock snapshot with the store database by SKU (a hash join, not a nested loop)."""
