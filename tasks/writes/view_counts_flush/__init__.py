"""Flush a minute of page views into per-page counters, most of them on a few viral pages."""
