"""Naive (the set intersection): load the viewer's friends, then each result's friends, and intersect them in
Python. A handful of rows per ordinary member; every member's friend list for the official account."""


def mutual_friends(db, viewer_id, profile_ids):
    mine = {f for (f,) in db.execute("SELECT friend_id FROM friendships WHERE user_id = ?", [viewer_id])}
    profiles = []
    for profile_id in profile_ids:
        theirs = {f for (f,) in db.execute("SELECT friend_id FROM friendships WHERE user_id = ?", [profile_id])}
        common = sorted(mine & theirs)
        profiles.append({"id": profile_id, "mutual_count": len(common), "mutual_sample": common[:3]})
    return {"profiles": profiles}
