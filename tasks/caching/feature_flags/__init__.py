"""Evaluate every feature flag for a user on each request, while product managers edit flags and targeting."""
