"""How a solution's cost grows with the tier size: a log-log slope and the complexity class it suggests."""
import math

# Upper bounds of the exponent for each class; slopes are noisy, so the bands are wide.
CLASSES = ((0.25, "O(1)"), (0.75, "O(log n) .. O(sqrt n)"), (1.25, "O(n)"), (1.6, "O(n log n)"),
           (2.4, "O(n^2)"), (math.inf, "worse than O(n^2)"))


def fit_exponent(sizes: list[float], costs: list[float]) -> float | None:
    """Least-squares slope of log(cost) on log(size); None with fewer than two usable tiers."""
    points = [(math.log(s), math.log(c)) for s, c in zip(sizes, costs) if s > 0 and c and c > 0]
    if len({x for x, _ in points}) < 2:
        return None
    mean_x = sum(x for x, _ in points) / len(points)
    mean_y = sum(y for _, y in points) / len(points)
    sxx = sum((x - mean_x) ** 2 for x, _ in points)
    return sum((x - mean_x) * (y - mean_y) for x, y in points) / sxx


def complexity_class(exponent: float | None) -> str | None:
    if exponent is None:
        return None
    return next(name for bound, name in CLASSES if exponent < bound)


def growth(tiers: list[dict]) -> dict:
    """Fit the mean per-request latency (virtual I/O + normalised compute) over the tiers that ran."""
    usable = [t for t in tiers if t.get("mean_latency_ms")]
    exponent = fit_exponent([t["size"] for t in usable], [t["mean_latency_ms"] for t in usable])
    return {"metric": "mean_latency_ms", "exponent": None if exponent is None else round(exponent, 3),
            "complexity_class": complexity_class(exponent), "tiers_used": [t["tier"] for t in usable]}
