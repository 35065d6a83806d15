"""Naive (the textbook intersection): load the profile's followers into a set, the viewer's followees into a
list, intersect them in Python, then look up the handles."""


def followed_by(db, viewer_id, profile_id):
    followers = {row[0] for row in db.execute("SELECT follower_id FROM follows WHERE followee_id = ?",
                                              [profile_id])}
    following = [row[0] for row in db.execute("SELECT followee_id FROM follows WHERE follower_id = ?",
                                              [viewer_id])]
    common = [account for account in following if account in followers]
    handles = []
    if common:
        marks = ",".join("?" * len(common))
        handles = [row[0] for row in db.execute(
            f"SELECT handle FROM users WHERE id IN ({marks}) ORDER BY handle LIMIT 3", common)]
    return {"count": len(common), "handles": handles}
