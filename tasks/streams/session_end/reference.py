"""Reference: the open sessions in an OrderedDict kept in order of last activity (an event moves its session to
the end). Sessions idle for 30 minutes are then all at the front: each call pops from the front until it meets
one still active, so its work follows the chunk and the sessions ending, not the sessions open."""
from collections import OrderedDict

IDLE_MS = 1_800_000

_open = OrderedDict()  # user_id -> [start_ts, last_ts, events], least recently active first


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
        _open.move_to_end(user)  # also for a session just replaced: assigning an existing key keeps its place
    while _open:
        user, session = next(iter(_open.items()))
        if now_ms - session[1] < IDLE_MS:
            break
        ended.append([user, *session])
        del _open[user]
    return {"ended": sorted(ended)}
