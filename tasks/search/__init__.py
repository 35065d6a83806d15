"""Search: autocomplete and ranked full-text-ish search over a product database."""
