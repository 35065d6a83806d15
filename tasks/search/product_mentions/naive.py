"""Naive (test every product against every ticket): normalise both to space-separated tokens and check each
name as a substring with spaces around it. Correct, and each test is a fast C-level search; but it is
(tickets x products) of them, ~10^8 a day at 40,000 products."""
import re

TOKEN = re.compile(r"[a-z0-9]+")


def normalise(text):
    return " " + " ".join(TOKEN.findall(text.lower())) + " "


def tag_tickets(db, day):
    products = [(product_id, normalise(name)) for product_id, name in db.execute("SELECT id, name FROM products")]
    result = []
    for ticket_id, subject, body in db.execute("SELECT id, subject, body FROM tickets WHERE day = ? ORDER BY id",
                                               [day]):
        texts = (normalise(subject), normalise(body))
        found = sorted(pid for pid, name in products if name.strip() and any(name in text for text in texts))
        result.append({"ticket_id": ticket_id, "product_ids": found})
    return result
