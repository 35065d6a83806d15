"""A task's spec: the `task.toml` beside its code, read into one typed object.

Runs inside the sandbox too (standard library only).
"""
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

DEMO_TIER = "demo"
# Which set a task belongs to: `core` holds one well-known trap per task; `hard` holds tasks selected on real
# frontier answers (the rule is in tasks/README.md). A task.toml without `split` is core.
SPLITS = ("core", "hard")
DEFAULT_SPLIT = "core"


@dataclass(frozen=True)
class Budget:
    """What the feature must meet. Task-wide by default: the product's requirement does not change with
    scale, which is exactly why the naive code passes at demo size and fails later."""

    latency_ms_p95: float | None = None   # per request, virtual I/O + normalised compute
    total_ms: float | None = None         # whole tier, for batch jobs (exports, syncs)
    memory_mb: float | None = None        # peak resident memory of the solution process

    @classmethod
    def from_dict(cls, data: dict) -> "Budget":
        return cls(**{k: data[k] for k in ("latency_ms_p95", "total_ms", "memory_mb") if k in data})


@dataclass(frozen=True)
class Tier:
    name: str
    size: int              # the headline number of the tier (products, posts, orders...)
    requests: int          # how many requests the driver sends
    params: dict           # everything else the generator reads
    budget: Budget
    wall_timeout_s: float  # real seconds before the solution is killed


@dataclass(frozen=True)
class TaskSpec:
    id: str
    family: str
    version: str
    title: str
    bottleneck: str        # the one bottleneck this task tests, in a sentence
    feature: str           # the feature as a product manager would ask for it
    contract: str          # the interface: the entry function and the clients it receives
    scale: str             # the exact numbers of the target tier, in words, for the blueprint prompt
    boundaries: str        # the hard limits (budgets, platform limits) in words, for the blueprint prompt
    entry: str
    clients: tuple[str, ...]
    naive_failures: tuple[str, ...]  # failure reasons that count as "failing for the family's reason"
    target_tier: str
    tiers: tuple[Tier, ...]
    platform: dict         # [platform.<client>] tables, passed to the simulators
    sources: dict          # where the budgets and limits come from
    folder: Path = field(compare=False)
    split: str = DEFAULT_SPLIT  # "core" or "hard" (see SPLITS)

    def tier(self, name: str) -> Tier:
        for tier in self.tiers:
            if tier.name == name:
                return tier
        raise KeyError(f"task {self.id} has no tier {name!r}; tiers: {[t.name for t in self.tiers]}")

    @property
    def tier_names(self) -> list[str]:
        return [t.name for t in self.tiers]


WALL_TIMEOUT_S = (60.0, 300.0)  # the default's floor and ceiling, in real seconds


def default_wall_timeout(budget: Budget, requests: int) -> float:
    """Real seconds before a tier's solution is killed, when the task sets none: twice what the budgets allow
    the whole tier, so a solution within budget on every request is not cut off on a host twice as slow as the
    calibration's reference (the budget may be spent in CPU), within WALL_TIMEOUT_S. Budgets spent in virtual
    time need no real time: a solution that spins is stopped by the latency kill long before the timeout."""
    allowed_ms = max(budget.total_ms or 0.0, (budget.latency_ms_p95 or 0.0) * requests)
    floor, ceiling = WALL_TIMEOUT_S
    return min(ceiling, max(floor, 2 * allowed_ms / 1000))


def _tier(name: str, data: dict, default_budget: dict, default_timeout: float | None) -> Tier:
    data = dict(data)
    budget = Budget.from_dict({**default_budget, **data.pop("budget", {})})
    requests = int(data.pop("requests"))
    timeout = data.pop("wall_timeout_s", default_timeout)
    return Tier(name=name, size=int(data.pop("size")), requests=requests,
                wall_timeout_s=float(timeout) if timeout is not None else default_wall_timeout(budget, requests),
                params=data, budget=budget)


def load_spec(folder: Path) -> TaskSpec:
    """Read `folder/task.toml`; tiers keep the file's order (smallest first)."""
    raw = tomllib.loads((folder / "task.toml").read_text(encoding="utf-8"))
    budget = raw.get("budget", {})
    timeout = raw.get("wall_timeout_s")
    tiers = tuple(_tier(name, data, budget, timeout) for name, data in raw["tiers"].items())
    if not tiers or tiers[0].name != DEMO_TIER:
        raise ValueError(f"{folder}: the first tier must be {DEMO_TIER!r}")
    split = raw.get("split", DEFAULT_SPLIT)
    if split not in SPLITS:
        raise ValueError(f"{folder}: split must be one of {', '.join(SPLITS)}, not {split!r}")
    return TaskSpec(
        id=raw["id"], family=raw["family"], version=str(raw["version"]), title=raw["title"],
        bottleneck=raw["bottleneck"].strip(), feature=raw["feature"].strip(), contract=raw["contract"].strip(),
        scale=raw["scale"].strip(), boundaries=raw["boundaries"].strip(), entry=raw["entry"],
        clients=tuple(raw["clients"]), naive_failures=tuple(raw["naive_failures"]),
        target_tier=raw.get("target_tier", "growth"), tiers=tiers, platform=raw.get("platform", {}),
        sources=raw.get("sources", {}), folder=folder, split=split,
    )
