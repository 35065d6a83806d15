"""Naive (the direct translation of the rule): read the open invoices of the file's customers, then for each
payment look through all of its customer's open invoices for the best one and remove it. Fine for a customer
with five invoices; for one with tens of thousands, every payment scans them all."""


def match_payments(db, payments):
    customers = sorted({p["customer_id"] for p in payments})
    open_invoices = {}
    for start in range(0, len(customers), 500):
        part = customers[start:start + 500]
        for customer, amount, due, invoice in db.execute(
                "SELECT customer_id, amount_cents, due_date, id FROM invoices WHERE status = 'open' "
                f"AND customer_id IN ({','.join('?' * len(part))})", part):
            open_invoices.setdefault(customer, []).append((amount, due, invoice))

    matches = {}
    for payment in payments:
        candidates = open_invoices.get(payment["customer_id"], [])
        paid = payment["amount_cents"]
        best = None
        for invoice in candidates:
            amount, due, invoice_id = invoice
            if abs(amount - paid) * 100 <= amount:
                if best is None or (abs(amount - paid), due, invoice_id) < (abs(best[0] - paid), best[1], best[2]):
                    best = invoice
        if best is None:
            matches[payment["id"]] = None
        else:
            matches[payment["id"]] = best[2]
            candidates.remove(best)
    return {"matches": matches}
