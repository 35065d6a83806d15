"""Reference: the page of conversations in one query, then each one's latest messages through its own
`ORDER BY ... LIMIT` (an index range read from the newest end), all in one UNION ALL query: the work is
about per_page x 3 rows whatever the size of a conversation."""

PREVIEW = 3


def inbox(db, user_id, per_page=20):
    conversations = db.execute(
        "SELECT c.id, c.title, c.last_message_at FROM members m JOIN conversations c ON c.id = m.conversation_id "
        "WHERE m.user_id = ? ORDER BY c.last_message_at DESC, c.id DESC LIMIT ?", [user_id, per_page])
    if not conversations:
        return []
    latest = " UNION ALL ".join(
        "SELECT * FROM (SELECT conversation_id, id, sender_id, sent_at, body FROM messages "
        f"WHERE conversation_id = ? ORDER BY sent_at DESC, id DESC LIMIT {PREVIEW})" for _ in conversations)
    rows = db.execute(
        f"SELECT p.conversation_id, p.id, u.name, p.sent_at, p.body FROM ({latest}) p "
        "JOIN users u ON u.id = p.sender_id", [c[0] for c in conversations])
    previews = {c[0]: [] for c in conversations}
    for conversation_id, message_id, sender, sent_at, body in rows:
        previews[conversation_id].append({"id": message_id, "sender": sender, "sent_at": sent_at, "body": body})
    for messages in previews.values():
        messages.sort(key=lambda m: (m["sent_at"], m["id"]), reverse=True)
    return [{"id": cid, "title": title, "last_message_at": last, "messages": previews[cid]}
            for cid, title, last in conversations]
