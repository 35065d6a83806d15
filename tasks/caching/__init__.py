"""Tasks where a long-running worker serves requests from data that changes: what it may keep, and when to refresh it."""
