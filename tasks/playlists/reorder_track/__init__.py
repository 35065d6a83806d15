"""Drag a track to a new place in a playlist, where one playlist holds a whole station library."""
