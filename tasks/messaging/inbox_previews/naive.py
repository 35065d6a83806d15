"""Naive (the textbook top-N-per-group query): number each conversation's messages with ROW_NUMBER() OVER
(PARTITION BY conversation ...) and keep the first three. Correct, and one query, but the window numbers every
message of every conversation on the page before the filter keeps three."""


def inbox(db, user_id, per_page=20):
    conversations = db.execute(
        "SELECT c.id, c.title, c.last_message_at FROM members m JOIN conversations c ON c.id = m.conversation_id "
        "WHERE m.user_id = ? ORDER BY c.last_message_at DESC, c.id DESC LIMIT ?", [user_id, per_page])
    if not conversations:
        return []
    ids = [c[0] for c in conversations]
    marks = ",".join("?" * len(ids))
    rows = db.execute(f"""
        SELECT conversation_id, id, name, sent_at, body FROM (
            SELECT m.conversation_id, m.id, u.name, m.sent_at, m.body,
                   ROW_NUMBER() OVER (PARTITION BY m.conversation_id ORDER BY m.sent_at DESC, m.id DESC) AS rn
            FROM messages m JOIN users u ON u.id = m.sender_id
            WHERE m.conversation_id IN ({marks}))
        WHERE rn <= 3 ORDER BY conversation_id, rn""", ids)
    previews = {cid: [] for cid in ids}
    for conversation_id, message_id, sender, sent_at, body in rows:
        previews[conversation_id].append({"id": message_id, "sender": sender, "sent_at": sent_at, "body": body})
    return [{"id": cid, "title": title, "last_message_at": last, "messages": previews[cid]}
            for cid, title, last in conversations]
