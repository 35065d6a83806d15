"""The p50 and p99 latency over the last 15 minutes, updated every second by a long-running worker."""
