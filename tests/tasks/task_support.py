"""Helpers shared by the task tests: run a task's own solutions in-process, read a world's tables."""
from scaleblind.graders.driver import build_world, run_in_process
from scaleblind.tasks.registry import get_task


def run_solution(spec, tier_name: str, module: str, seed: int = 0, uncapped: bool = False) -> tuple[list, list[int]]:
    """Compared answers and per-request query counts of `module` ("reference"/"naive") at a tier;
    `uncapped` lifts a database query cap (to compare an N+1 naive with the reference beyond demo)."""
    world = build_world(spec, spec.tier(tier_name), seed)
    if uncapped:
        world.platforms["db"].config.max_queries_per_request = None
    queries: list[int] = []

    def count(world, _answer) -> None:
        queries.append(sum(p.usage().get("queries", 0) for p in world.platforms.values()))

    return run_in_process(spec, world, module, after_each=count), queries


def table_rows(world) -> dict:
    """Every table of a world's database, for determinism checks."""
    conn = world.platforms["db"].conn
    names = [n for (n,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' "
                                        "AND name NOT LIKE 'sqlite_%'")]
    return {name: conn.execute(f"SELECT * FROM {name}").fetchall() for name in names}


def count_rows(task_id: str, tier_name: str, table: str) -> int:
    spec = get_task(task_id)
    world = build_world(spec, spec.tier(tier_name), 0)
    return world.platforms["db"].conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
