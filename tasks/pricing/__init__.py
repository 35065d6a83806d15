"""Pricing: prices that change over time, looked up as of a moment."""
