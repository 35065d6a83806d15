"""Tasks served by a long-running worker that keeps state between requests: event streams, rankings, caches."""
