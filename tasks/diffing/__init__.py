"""Diffing: comparing two large snapshots of the same records."""
