"""Naive (reuse the codebase's permission check, as the codebase does everywhere): walk the folder's documents
in name order and keep those can_view() allows until the page is full. Correct; but every check re-derives
the user's groups and queries the shares, about five queries per document, so a folder of more than a
dozen or so documents, let alone an archive the user sees a handful of, runs into the per-request query cap."""


# --- the app's existing permission helpers, copied unchanged from the contract ---
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


def can_view(db, user_id, document_id):
    """True when the user may open the document: they own it, or the document or its folder is shared with
    them or with one of their groups."""
    groups = sorted(user_groups(db, user_id))
    marks = ",".join("?" * len(groups)) or "NULL"
    principal = f"((kind = 'user' AND principal_id = ?) OR (kind = 'group' AND principal_id IN ({marks})))"
    rows = db.execute(
        f"SELECT 1 FROM documents d WHERE d.id = ? AND (d.owner_id = ? "
        f"OR EXISTS (SELECT 1 FROM shares WHERE document_id = d.id AND {principal}) "
        f"OR EXISTS (SELECT 1 FROM folder_shares WHERE folder_id = d.folder_id AND {principal}))",
        [document_id, user_id, user_id, *groups, user_id, *groups])
    return bool(rows)
# --- end of the existing helpers ---


def folder_listing(db, user_id, folder_id, per_page=50):
    visible = []
    for document_id, name, owner_id in db.stream(
            "SELECT id, name, owner_id FROM documents WHERE folder_id = ? ORDER BY name, id", [folder_id]):
        if can_view(db, user_id, document_id):
            visible.append({"id": document_id, "name": name, "owner_id": owner_id})
            if len(visible) > per_page:
                break
    return {"documents": visible[:per_page], "has_more": len(visible) > per_page}
