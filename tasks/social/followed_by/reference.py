"""Reference: walk the viewer's side, which is bounded by how many accounts one person follows, and probe the
primary key for each of them following the profile; never read the profile's followers, which for the
celebrity are most of the platform."""


def followed_by(db, viewer_id, profile_id):
    handles = sorted(row[0] for row in db.execute(
        "SELECT u.handle FROM follows f JOIN users u ON u.id = f.followee_id "
        "WHERE f.follower_id = ? AND EXISTS (SELECT 1 FROM follows g "
        "WHERE g.follower_id = f.followee_id AND g.followee_id = ?)", [viewer_id, profile_id]))
    return {"count": len(handles), "handles": handles[:3]}
