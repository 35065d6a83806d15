"""Search tasks: the autocomplete index is used, and the ranked-search terms table matches its contract."""
from scaleblind.tasks.registry import get_task, task_module


def test_autocomplete_prefix_uses_the_index():
    spec = get_task("search/autocomplete")
    world = task_module(spec, "world").build(spec, spec.tier("demo"), 0)
    plan = world.platforms["db"].conn.execute(
        "EXPLAIN QUERY PLAN SELECT id FROM products WHERE name_norm >= ? AND name_norm < ?", ["ab", "ab\uffff"]).fetchall()
    assert any("products_by_name_norm" in str(row) for row in plan)


def test_ranked_search_terms_match_the_contract_definition():
    spec = get_task("search/ranked_search")
    world_module = task_module(spec, "world")
    world = world_module.build(spec, spec.tier("demo"), 0)
    conn = world.platforms["db"].conn
    expected = set()
    for pid, title, description in conn.execute("SELECT id, title, description FROM products"):
        weights = {}
        for word in world_module.tokens(title):
            weights[word] = weights.get(word, 0) + 3
        for word in world_module.tokens(description):
            weights[word] = weights.get(word, 0) + 1
        expected |= {(word, pid, w) for word, w in weights.items()}
    assert set(conn.execute("SELECT term, product_id, weight FROM terms")) == expected
