"""Match a bank file's payments to open invoices within 1%; one marketplace customer has tens of thousands of invoices."""
