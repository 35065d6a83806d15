"""Mutual friends on a people-search page; the official account everyone is friends with is often a result."""
