"""A merchant's balance from an append-only ledger, in a long-running worker, where one marketplace merchant has most entries."""
