"""A user's audit trail: events where they are the actor or the target (OR across two indexed columns)."""
