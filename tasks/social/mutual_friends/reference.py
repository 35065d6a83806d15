"""Reference: the viewer's friends (a few dozen), then one query that seeks every (result, viewer's friend)
pair in the friendships key: it returns only the mutual friendships, so a result with a hundred thousand
friends costs as little as one with ten."""


def mutual_friends(db, viewer_id, profile_ids):
    mine = [f for (f,) in db.execute("SELECT friend_id FROM friendships WHERE user_id = ?", [viewer_id])]
    wanted = sorted(set(profile_ids))
    common = {p: [] for p in wanted}
    if mine and wanted:
        rows = db.execute(
            f"SELECT user_id, friend_id FROM friendships WHERE user_id IN ({','.join('?' * len(wanted))}) "
            f"AND friend_id IN ({','.join('?' * len(mine))}) ORDER BY user_id, friend_id", wanted + mine)
        for user_id, friend_id in rows:
            common[user_id].append(friend_id)
    return {"profiles": [{"id": p, "mutual_count": len(common[p]), "mutual_sample": common[p][:3]}
                         for p in profile_ids]}
