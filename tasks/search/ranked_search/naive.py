"""Naive (the tutorial answer): load every product and score it in Python."""
import re


def tokenize(text):
    return re.findall(r"[a-z0-9]+", text.lower())


def search(db, query):
    query_words = set(tokenize(query))
    products = db.execute("SELECT id, title, description, popularity FROM products")
    scored = []
    for pid, title, description, popularity in products:
        title_words = tokenize(title)
        description_words = tokenize(description)
        score = 0
        for word in query_words:
            score += 3 * title_words.count(word) + description_words.count(word)
        if score > 0:
            scored.append((score, popularity, pid, title))
    scored.sort(key=lambda s: (-s[0], -s[1], s[2]))
    return {"total": len(scored),
            "results": [{"id": pid, "title": title, "score": score} for score, _, pid, title in scored[:20]]}
