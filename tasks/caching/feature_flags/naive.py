"""Naive (always fresh, the obvious answer): on every request read every flag and every rule, then evaluate."""
import hashlib


def evaluate_flags(db, user):
    rules = {}
    for key, attribute, value in db.execute("SELECT flag_key, attribute, value FROM flag_rules"):
        rules.setdefault(key, set()).add((attribute, value))
    mine = {("country", user["country"]), ("plan", user["plan"]), ("user_id", str(user["id"]))}
    on = []
    for key, enabled, rollout in db.execute("SELECT key, enabled, rollout_percent FROM flags"):
        if not enabled:
            continue
        bucket = int(hashlib.sha256(f"{key}:{user['id']}".encode()).hexdigest()[:8], 16) % 100
        if rules.get(key, set()) & mine or bucket < rollout:
            on.append(key)
    return {"flags": sorted(on)}
