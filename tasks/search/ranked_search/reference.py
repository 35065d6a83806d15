"""Reference: score in the database from the inverted index; only the query terms' postings are read."""
import re

TOKEN = re.compile(r"[a-z0-9]+")


def search(db, query):
    words = sorted(set(TOKEN.findall(query.lower())))
    if not words:
        return {"total": 0, "results": []}
    marks = ", ".join("?" * len(words))
    rows = db.execute(
        f"SELECT t.product_id, p.title, t.score FROM "
        f"(SELECT product_id, SUM(weight) AS score FROM terms WHERE term IN ({marks}) GROUP BY product_id) AS t "
        f"JOIN products AS p ON p.id = t.product_id "
        f"ORDER BY t.score DESC, p.popularity DESC, t.product_id LIMIT 20", words)
    total = db.execute(f"SELECT COUNT(DISTINCT product_id) FROM terms WHERE term IN ({marks})", words)[0][0]
    return {"total": total, "results": [{"id": pid, "title": title, "score": score} for pid, title, score in rows]}
