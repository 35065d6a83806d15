"""Near-duplicate marketplace listings in an hour's batch (token-set Jaccard >= 0.8); stock words are everywhere."""
