"""A document folder listing built on the app's existing permission helpers (a helper called per item)."""
