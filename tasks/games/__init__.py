"""Tasks of game backends: leaderboards and player standings kept by long-running workers."""
