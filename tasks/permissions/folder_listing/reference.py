"""Reference: the same access rules, applied to the folder as a set. The user's groups are derived once (the
existing helper, a query per level of nesting); a folder shared with the user or a group of theirs is simply
paged in name order; otherwise one query keeps the folder's documents the user owns or that are shared with
them, in name order, with the LIMIT of the page. About six queries whatever the folder holds."""


def user_groups(db, user_id):
    """Every group the user belongs to: directly, or through groups nested in other groups."""
    groups = {g for (g,) in db.execute("SELECT group_id FROM group_members WHERE user_id = ?", [user_id])}
    frontier = set(groups)
    while frontier:
        marks = ",".join("?" * len(frontier))
        parents = {g for (g,) in db.execute(
            f"SELECT parent_group_id FROM group_parents WHERE child_group_id IN ({marks})", sorted(frontier))}
        frontier = parents - groups
        groups |= frontier
    return groups


def folder_listing(db, user_id, folder_id, per_page=50):
    groups = sorted(user_groups(db, user_id))
    marks = ",".join("?" * len(groups)) or "NULL"
    principal = f"((kind = 'user' AND principal_id = ?) OR (kind = 'group' AND principal_id IN ({marks})))"
    shared = db.execute(f"SELECT 1 FROM folder_shares WHERE folder_id = ? AND {principal} LIMIT 1",
                        [folder_id, user_id, *groups])
    if shared:
        rows = db.execute("SELECT id, name, owner_id FROM documents WHERE folder_id = ? ORDER BY name, id LIMIT ?",
                          [folder_id, per_page + 1])
    else:
        rows = db.execute(
            "SELECT d.id, d.name, d.owner_id FROM documents d WHERE d.folder_id = ? AND (d.owner_id = ? OR "
            f"EXISTS (SELECT 1 FROM shares WHERE document_id = d.id AND {principal})) ORDER BY d.name, d.id LIMIT ?",
            [folder_id, user_id, user_id, *groups, per_page + 1])
    documents = [{"id": i, "name": name, "owner_id": owner} for i, name, owner in rows[:per_page]]
    return {"documents": documents, "has_more": len(rows) > per_page}
