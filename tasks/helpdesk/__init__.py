"""Helpdesk: support tickets of many workspaces, where one customer's workspace dwarfs the rest."""
