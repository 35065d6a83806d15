"""A profile's "Followed by people you follow" line, where one profile is followed by most of the platform."""
