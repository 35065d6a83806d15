"""Reference: prefix filtering (the AllPairs algorithm). Order every token by how many titles hold it, rarest
first; two sets with Jaccard >= 0.8 must share a token among the first |x| - ceil(0.8 |x|) + 1 of each, so only
those few rare tokens are indexed and probed, and sets too small to reach 0.8 are skipped. An index of every
token would pair up every two titles that say "new", which is most of them."""
import re
from collections import Counter
from operator import itemgetter

TOKEN = re.compile(r"[a-z0-9]+")


def find_duplicates(listings):
    records = []
    for item in listings:
        tokens = set(TOKEN.findall(item["title"].lower()))
        if tokens:
            records.append((len(tokens), item["id"], tokens))
    frequency = Counter(token for _, _, tokens in records for token in tokens)
    rank = {token: r for r, (token, _) in enumerate(sorted(frequency.items(), key=itemgetter(1)))}
    records.sort(key=lambda record: record[:2])

    index = {}          # token rank -> [first live entry, (size, id, tokens), ...], sizes ascending
    pairs = []
    for size, listing_id, tokens in records:
        smallest = (4 * size + 4) // 5                # a partner holds at least ceil(0.8 |x|) tokens
        prefix = sorted(map(rank.__getitem__, tokens))[:size - smallest + 1]
        seen = set()
        for r in prefix:
            bucket = index.get(r)
            if bucket is None:
                index[r] = [1, (size, listing_id, tokens)]
                continue
            start = bucket[0]
            while start < len(bucket) and bucket[start][0] < smallest:   # too small now, and for every later set
                start += 1
            bucket[0] = start
            for i in range(start, len(bucket)):
                other_size, other_id, other_tokens = bucket[i]
                if other_id not in seen:
                    seen.add(other_id)
                    common = len(tokens & other_tokens)
                    if 5 * common >= 4 * (size + other_size - common):
                        pairs.append([other_id, listing_id] if other_id < listing_id else [listing_id, other_id])
            bucket.append((size, listing_id, tokens))
    pairs.sort()
    return {"pairs": pairs}
