"""Compliance export of a busy channel: every message with its author's name and email, via a Slack-like API."""
