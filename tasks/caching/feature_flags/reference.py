"""Reference: keep the flags in the worker and refresh only what changed. Each request asks flag_changes for
entries after the last one seen (one cheap query, usually empty), reloads just those flags and their rules,
then evaluates from memory: the flags on for everyone, the percentage rollouts, and the rules matching the
user's country, plan or id, found through an index by (attribute, value)."""
import hashlib

CHUNK = 500

_seen_seq = 0
_flags = {}      # key -> (enabled, rollout_percent)
_rules = {}      # key -> set of (attribute, value)
_matching = {}   # (attribute, value) -> set of keys with such a rule
_everyone = []   # keys on for every user (enabled, rollout 100), sorted
_partial = {}    # key -> rollout_percent of enabled flags rolled out to some users


def _bucket(key, user_id):
    return int(hashlib.sha256(f"{key}:{user_id}".encode()).hexdigest()[:8], 16) % 100


def _forget(key):
    _flags.pop(key, None)
    for rule in _rules.pop(key, ()):
        keys = _matching[rule]
        keys.discard(key)
        if not keys:
            del _matching[rule]


def _load(db, keys):
    for key in keys:
        _forget(key)
    for start in range(0, len(keys), CHUNK):
        part = keys[start:start + CHUNK]
        marks = ",".join("?" * len(part))
        for key, enabled, rollout in db.execute(
                f"SELECT key, enabled, rollout_percent FROM flags WHERE key IN ({marks})", part):
            _flags[key] = (enabled, rollout)
        for key, attribute, value in db.execute(
                f"SELECT flag_key, attribute, value FROM flag_rules WHERE flag_key IN ({marks})", part):
            _rules.setdefault(key, set()).add((attribute, value))
            _matching.setdefault((attribute, value), set()).add(key)


def _summarise():
    """The per-request shortcuts, rebuilt after a change (rare)."""
    global _everyone
    _everyone = sorted(key for key, (enabled, rollout) in _flags.items() if enabled and rollout >= 100)
    _partial.clear()
    _partial.update((key, rollout) for key, (enabled, rollout) in _flags.items() if enabled and 0 < rollout < 100)


def _refresh(db):
    global _seen_seq
    if not _seen_seq:
        rows = db.execute("SELECT max(seq) FROM flag_changes")
        _seen_seq = rows[0][0] or 0
        for key, enabled, rollout in db.execute("SELECT key, enabled, rollout_percent FROM flags"):
            _flags[key] = (enabled, rollout)
        for key, attribute, value in db.execute("SELECT flag_key, attribute, value FROM flag_rules"):
            _rules.setdefault(key, set()).add((attribute, value))
            _matching.setdefault((attribute, value), set()).add(key)
        _summarise()
        return
    changed = db.execute("SELECT seq, flag_key FROM flag_changes WHERE seq > ? ORDER BY seq", [_seen_seq])
    if changed:
        _seen_seq = changed[-1][0]
        _load(db, sorted({key for _, key in changed}))
        _summarise()


def evaluate_flags(db, user):
    _refresh(db)
    uid = str(user["id"])
    on = []
    for rule in (("country", user["country"]), ("plan", user["plan"]), ("user_id", uid)):
        on.extend(key for key in _matching.get(rule, ()) if (_flags.get(key) or (0, 0))[0] and _flags[key][1] < 100)
    on.extend(key for key, rollout in _partial.items() if _bucket(key, uid) < rollout)
    return {"flags": sorted(_everyone + sorted(set(on)))}  # two sorted runs: a near-linear sort
