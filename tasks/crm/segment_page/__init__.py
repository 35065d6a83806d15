"""A CRM segment list with each customer's stats from a shared aggregate view (a view that hides its cost)."""
