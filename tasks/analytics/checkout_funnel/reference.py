"""Reference: one ordered pass per user. Keep the latest view so far; a cart converts step 2 when that view is
at most 24 hours before it, and records the latest view that precedes a cart (the best start for step 3,
which only grows); a purchase converts step 3 when that best start is at most 24 hours before it. Linear in
the events, whatever one user does."""

WINDOW = 86_400


def funnel(db, start, end):
    viewed, carted, purchased = set(), set(), set()
    user, last_view, best_start = None, None, None
    for user_id, ts, name in db.stream("SELECT user_id, ts, name FROM events WHERE ts >= ? AND ts < ? "
                                       "ORDER BY user_id, ts", [start, end], batch_size=10000):
        if user_id != user:
            user, last_view, best_start = user_id, None, None
        if name == "view":
            last_view = ts
            viewed.add(user_id)
        elif name == "cart" and last_view is not None:
            best_start = last_view
            if ts - last_view <= WINDOW:
                carted.add(user_id)
        elif name == "purchase" and best_start is not None and ts - best_start <= WINDOW:
            purchased.add(user_id)
    return {"viewed": len(viewed), "carted": len(carted), "purchased": len(purchased),
            "purchased_user_ids": sorted(purchased)}
