"""Naive (the textbook reorder): take the track out of the sequence and put it back at the new index, shifting
every track in between by one place; positions stay 0, 1, 2, ..."""


def move_track(db, playlist_id, track_id, to_index):
    with db.transaction():
        old = int(db.execute("SELECT position FROM playlist_items WHERE playlist_id = ? AND track_id = ?",
                             [playlist_id, track_id])[0][0])
        if to_index > old:
            db.execute("UPDATE playlist_items SET position = position - 1 "
                       "WHERE playlist_id = ? AND position > ? AND position <= ?", [playlist_id, old, to_index])
        elif to_index < old:
            db.execute("UPDATE playlist_items SET position = position + 1 "
                       "WHERE playlist_id = ? AND position >= ? AND position < ?", [playlist_id, to_index, old])
        db.execute("UPDATE playlist_items SET position = ? WHERE playlist_id = ? AND track_id = ?",
                   [to_index, playlist_id, track_id])
        neighbours = db.execute("SELECT track_id, position FROM playlist_items WHERE playlist_id = ? "
                                "AND position IN (?, ?)", [playlist_id, to_index - 1, to_index + 1])
    near = {position: track for track, position in neighbours}
    return {"before": near.get(to_index - 1), "after": near.get(to_index + 1)}
