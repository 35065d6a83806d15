"""Reference: read the open invoices of the file's customers with a few IN (...) queries, and keep, per
customer, the invoices grouped by amount (each group in due-date, id order) and the sorted list of amounts
that still have one. A payment's best candidate is then at the one or two amounts next to it (bisect), so a
file costs O(n log n) however many invoices one customer has."""
import bisect
from collections import deque

CHUNK = 5000


def match_payments(db, payments):
    customers = sorted({p["customer_id"] for p in payments})
    groups = {}                                   # customer -> {amount: deque of (due_date, id)}
    for start in range(0, len(customers), CHUNK):
        part = customers[start:start + CHUNK]
        rows = db.execute(
            "SELECT customer_id, amount_cents, due_date, id FROM invoices WHERE status = 'open' "
            f"AND customer_id IN ({','.join('?' * len(part))}) ORDER BY customer_id, amount_cents, due_date, id",
            part)
        for customer, amount, due, invoice in rows:
            groups.setdefault(customer, {}).setdefault(amount, deque()).append((due, invoice))
    amounts = {customer: sorted(by_amount) for customer, by_amount in groups.items()}

    matches = {}
    for payment in payments:
        customer, paid = payment["customer_id"], payment["amount_cents"]
        by_amount, sorted_amounts = groups.get(customer), amounts.get(customer)
        best = None
        if sorted_amounts:
            at = bisect.bisect_left(sorted_amounts, paid)
            for i in (at - 1, at):
                if 0 <= i < len(sorted_amounts):
                    amount = sorted_amounts[i]
                    if abs(amount - paid) * 100 <= amount:
                        key = (abs(amount - paid), *by_amount[amount][0], i)
                        best = key if best is None or key < best else best
        if best is None:
            matches[payment["id"]] = None
            continue
        i = best[-1]
        amount = sorted_amounts[i]
        matches[payment["id"]] = by_amount[amount].popleft()[1]
        if not by_amount[amount]:
            del by_amount[amount]
            del sorted_amounts[i]
    return {"matches": matches}
