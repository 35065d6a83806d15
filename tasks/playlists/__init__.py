"""Playlists: user-ordered lists of tracks, where one list holds a whole library."""
