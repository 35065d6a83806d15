"""Report app sessions as they end (30 idle minutes), from a stream of events, in a long-running worker."""
