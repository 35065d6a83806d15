"""Billing: invoices, payments and the jobs that reconcile them, where one customer can be a thousand ordinary ones."""
