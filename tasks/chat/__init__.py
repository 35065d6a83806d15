"""Tasks of team chat platforms: exports, search and notifications over channels and their members."""
