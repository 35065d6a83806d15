"""Reference: positions are REAL, so the moved track takes a position between its new neighbours (their
midpoint; one less than the first, one more than the last) and only its own row is written. The neighbours are
found on the (playlist_id, position) index with LIMIT/OFFSET. When two neighbours are too close for a midpoint,
the playlist is renumbered once."""


def _neighbours(db, playlist_id, track_id, to_index):
    """The tracks that will be just before and just after the moved one: (track_id, position) or None."""
    rows = db.execute("SELECT track_id, position FROM playlist_items WHERE playlist_id = ? AND track_id <> ? "
                      "ORDER BY position LIMIT ? OFFSET ?",
                      [playlist_id, track_id, 2 if to_index else 1, max(0, to_index - 1)])
    if to_index == 0:
        return None, (rows[0] if rows else None)
    return (rows[0] if rows else None), (rows[1] if len(rows) > 1 else None)


def _renumber(db, playlist_id):
    tracks = db.execute("SELECT track_id FROM playlist_items WHERE playlist_id = ? ORDER BY position",
                        [playlist_id])
    db.executemany("UPDATE playlist_items SET position = ? WHERE playlist_id = ? AND track_id = ?",
                   [[float(i), playlist_id, t] for i, (t,) in enumerate(tracks)])


def move_track(db, playlist_id, track_id, to_index):
    with db.transaction():
        before, after = _neighbours(db, playlist_id, track_id, to_index)
        if before and after:
            position = (before[1] + after[1]) / 2
            if not before[1] < position < after[1]:
                _renumber(db, playlist_id)
                before, after = _neighbours(db, playlist_id, track_id, to_index)
                position = (before[1] + after[1]) / 2
        elif before:
            position = before[1] + 1
        elif after:
            position = after[1] - 1
        else:
            position = 0.0
        db.execute("UPDATE playlist_items SET position = ? WHERE playlist_id = ? AND track_id = ?",
                   [position, playlist_id, track_id])
    return {"before": before[0] if before else None, "after": after[0] if after else None}
