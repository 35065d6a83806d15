"""Match a bank file's payments to open invoices within 1%; one marketplace customer has 60,000 invoices."""
