"""The chat inbox: a user's latest conversations, each with its last few messages (top-N per group under skew)."""
