"""Naive (always fresh, the obvious answer): sum the merchant's ledger on every request."""


def balance(db, merchant_id):
    total, count = db.execute("SELECT COALESCE(SUM(amount_cents), 0), COUNT(*) FROM ledger_entries "
                              "WHERE merchant_id = ?", [merchant_id])[0]
    return {"balance_cents": total, "entries": count}
