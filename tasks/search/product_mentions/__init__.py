"""Tag support tickets with the catalog products they mention (every name tested against every ticket)."""
