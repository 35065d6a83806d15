"""A post's comment section, a page of top comments with their first replies; one post has gone viral."""
