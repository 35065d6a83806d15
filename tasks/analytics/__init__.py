"""Analytics: per-account statistics over event and request logs, where one account dwarfs the median."""
