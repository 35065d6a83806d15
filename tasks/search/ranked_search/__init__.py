"""Product search with relevance ranking over titles and descriptions, served from an inverted index table."""
