"""Top-k products by net sales or units in a date window, from a wide sales reporting table, in 128 MB."""
