"""Reference: the ledger only grows, in id order, so the worker keeps each merchant's running total and the
highest entry id it has added, and on each request adds only the entries written since: the merchant's newest
id (one seek at the end of its (merchant_id, id) range), then the sum over the ids in between, usually a few
rows. The first request for a merchant sums its whole ledger once."""
_totals = {}  # merchant_id -> [balance_cents, entries, highest id added]


def balance(db, merchant_id):
    state = _totals.setdefault(merchant_id, [0, 0, 0])
    newest = db.execute("SELECT MAX(id) FROM ledger_entries WHERE merchant_id = ?", [merchant_id])[0][0]
    if newest is not None and newest > state[2]:
        total, count = db.execute("SELECT SUM(amount_cents), COUNT(*) FROM ledger_entries "
                                  "WHERE merchant_id = ? AND id > ? AND id <= ?", [merchant_id, state[2], newest])[0]
        state[0] += total
        state[1] += count
        state[2] = newest
    return {"balance_cents": state[0], "entries": state[1]}
