"""A season leaderboard: every finished game shows the player's rank among half a million players."""
