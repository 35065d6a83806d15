"""Tasks whose feature writes to the database: imports, reservations, ledgers."""
