"""Search-box autocomplete: the 10 most popular products whose name starts with the typed text."""
