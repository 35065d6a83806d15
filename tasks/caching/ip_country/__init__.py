"""Enrich page-view batches with the visitor's country from an IP-range table of a million ranges."""
