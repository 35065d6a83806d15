"""Feeds: timelines and notification panels read from a social database."""
