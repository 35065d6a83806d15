"""Permissions: access rules of an existing codebase, applied to lists of things."""
