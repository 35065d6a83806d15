"""Sales-overview dashboard tile (today / month / year to date, vs last year) over a large orders table."""
