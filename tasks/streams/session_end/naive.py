"""Naive (the textbook sessionizer): a dict of open sessions by user; after each chunk, look through every open
session for the ones idle for 30 minutes."""
IDLE_MS = 1_800_000

_open = {}  # user_id -> [start_ts, last_ts, events]


def sessions(now_ms, events):
    ended = []
    for user, ts in events:
        session = _open.get(user)
        if session is not None and ts - session[1] >= IDLE_MS:
            ended.append([user, *session])
            session = None
        if session is None:
            _open[user] = [ts, ts, 1]
        else:
            session[1] = ts
            session[2] += 1
    for user, session in list(_open.items()):
        if now_ms - session[1] >= IDLE_MS:
            ended.append([user, *session])
            del _open[user]
    return {"ended": sorted(ended)}
