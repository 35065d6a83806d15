"""Reference: index the catalog by token sequence (a dict from the tuple of a name's tokens to its product
ids), then slide over each ticket's tokens and look up every run of 1 to (longest name) tokens: work grows
with the tickets' length, not with the size of the catalog."""
import re

TOKEN = re.compile(r"[a-z0-9]+")


def tokens(text):
    return TOKEN.findall(text.lower())


def tag_tickets(db, day):
    by_name, longest = {}, 0
    for product_id, name in db.stream("SELECT id, name FROM products", batch_size=10000):
        key = tuple(tokens(name))
        if key:
            by_name.setdefault(key, []).append(product_id)
            longest = max(longest, len(key))
    result = []
    for ticket_id, subject, body in db.execute("SELECT id, subject, body FROM tickets WHERE day = ? ORDER BY id",
                                               [day]):
        found = set()
        for text in (subject, body):
            words = tokens(text)
            for i in range(len(words)):
                for j in range(i + 1, min(i + longest, len(words)) + 1):
                    ids = by_name.get(tuple(words[i:j]))
                    if ids:
                        found.update(ids)
        result.append({"ticket_id": ticket_id, "product_ids": sorted(found)})
    return result
