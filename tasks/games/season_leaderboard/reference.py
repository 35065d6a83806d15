"""Reference: a Fenwick tree over the score values (scores are whole points from 0 to 1,000,000), counting the
players at each best score, indexed from the top so a prefix sum is "players with a higher score". A result
moves one player (two updates) and a rank is one prefix sum: O(log S) each, whatever the number of players.
A sorted list with bisect would find a rank as quickly but move megabytes of pointers on every insert."""
MAX_SCORE = 1_000_000
SIZE = MAX_SCORE + 2

_best = {}
_tree = [0] * (SIZE + 1)    # position p = MAX_SCORE - score + 1: higher scores come first


def _add(score, delta):
    p = MAX_SCORE - score + 1
    while p <= SIZE:
        _tree[p] += delta
        p += p & -p


def _higher(score):
    """Players whose best score is strictly higher than `score`: positions 1 .. MAX_SCORE - score."""
    p, total = MAX_SCORE - score, 0
    while p > 0:
        total += _tree[p]
        p -= p & -p
    return total


def _load(data):
    """Counts per position, then the linear-time Fenwick build."""
    _best.clear()
    for player, score in data:
        _best[player] = score
    tree = [0] * (SIZE + 1)
    for score in _best.values():
        tree[MAX_SCORE - score + 1] += 1
    for p in range(1, SIZE + 1):
        parent = p + (p & -p)
        if parent <= SIZE:
            tree[parent] += tree[p]
    _tree[:] = tree


def leaderboard(op, data):
    if op == "load":
        _load(data)
        return {"players": len(_best)}
    ranks = []
    best = _best
    for player, score in data:
        old = best.get(player)
        if old is None or score > old:
            if old is not None:
                _add(old, -1)
            _add(score, 1)
            best[player] = score
        else:
            score = old
        ranks.append(1 + _higher(score))
    return {"ranks": ranks}
