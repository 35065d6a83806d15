"""Messaging: conversation lists and previews, where one busy conversation dwarfs the rest."""
