"""Export orders in a date range to CSV for the finance team."""
