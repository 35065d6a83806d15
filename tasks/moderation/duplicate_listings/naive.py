"""Naive (the direct translation of the rule): tokenize every title, then compare every pair of listings.
Correct, and each comparison is a quick set operation; but an hour's batch is n^2 / 2 of them."""
import re

TOKEN = re.compile(r"[a-z0-9]+")


def find_duplicates(listings):
    sets = [(item["id"], set(TOKEN.findall(item["title"].lower()))) for item in listings]
    pairs = []
    for i in range(len(sets)):
        id_a, a = sets[i]
        if not a:
            continue
        for j in range(i + 1, len(sets)):
            id_b, b = sets[j]
            if not b:
                continue
            common = len(a & b)
            if 5 * common >= 4 * (len(a) + len(b) - common):
                pairs.append(sorted([id_a, id_b]))
    pairs.sort()
    return {"pairs": pairs}
