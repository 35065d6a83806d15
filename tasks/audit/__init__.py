"""Audit: security trails over an append-only event log."""
