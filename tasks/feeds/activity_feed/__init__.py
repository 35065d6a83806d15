"""Home timeline of posts from followed accounts, paged with an opaque cursor."""
