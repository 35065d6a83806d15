"""Naive (the funnel as it is defined): group each user's events in time order, and from every view look ahead
through the next 24 hours for a cart and then a purchase. Correct; but each view rescans its whole 24-hour
window, so a user with thousands of events a day costs millions of steps: the synthetic monitor alone runs
for minutes."""

WINDOW = 86_400


def funnel(db, start, end):
    events = {}
    for user_id, ts, name in db.execute("SELECT user_id, ts, name FROM events WHERE ts >= ? AND ts < ? "
                                        "ORDER BY ts", [start, end]):
        events.setdefault(user_id, []).append((ts, name))
    viewed, carted, purchased = set(), set(), set()
    for user_id, timeline in events.items():
        for i, (t1, name) in enumerate(timeline):
            if name != "view":
                continue
            viewed.add(user_id)
            seen_cart = False
            for t, later in timeline[i + 1:]:
                if t - t1 > WINDOW:
                    break
                if later == "cart":
                    seen_cart = True
                    carted.add(user_id)
                elif later == "purchase" and seen_cart:
                    purchased.add(user_id)
                    break
            if user_id in purchased:
                break
    return {"viewed": len(viewed), "carted": len(carted), "purchased": len(purchased),
            "purchased_user_ids": sorted(purchased)}
