"""Naive (the dictionary of best scores): keep each player's best score in a dict and count the players with
a higher score for every rank asked. Correct; but each rank walks the whole board."""
_best = {}


def leaderboard(op, data):
    if op == "load":
        _best.clear()
        for player, score in data:
            _best[player] = score
        return {"players": len(_best)}
    ranks = []
    for player, score in data:
        if score > _best.get(player, -1):
            _best[player] = score
        mine = _best[player]
        ranks.append(1 + sum(1 for s in _best.values() if s > mine))
    return {"ranks": ranks}
