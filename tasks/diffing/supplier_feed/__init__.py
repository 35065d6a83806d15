"""Nightly reconciliation of the supplier's feed with our catalog (one side held in memory vs a merge join)."""
