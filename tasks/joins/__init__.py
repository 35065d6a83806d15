"""Joins and dedup: matching and merging record sets without comparing every pair or looking up one at a time."""
