"""A three-step checkout funnel with a 24-hour conversion window, over a shop's event log with one bot-like user."""
