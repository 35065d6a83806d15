"""A shop's inventory in SQL and the orders placed at checkout: most carts hold a few lines, and at growth two
wholesale orders hold thousands (one of them short of stock on a few lines)."""
import random

from scaleblind.platforms.database_writes import writable_database
from scaleblind.platforms.generate import PRIME, sql_mix as mix
from scaleblind.platforms.world import Request, World

SCHEMA = """
CREATE TABLE inventory (sku TEXT PRIMARY KEY, available INTEGER NOT NULL CHECK (available >= 0));
CREATE TABLE orders (id TEXT PRIMARY KEY, customer_id INTEGER NOT NULL, status TEXT NOT NULL,
                     line_count INTEGER NOT NULL, units INTEGER NOT NULL);
CREATE TABLE order_lines (order_id TEXT NOT NULL REFERENCES orders (id), sku TEXT NOT NULL,
                          quantity INTEGER NOT NULL CHECK (quantity > 0), PRIMARY KEY (order_id, sku));
"""
LOW_STOCK = 16  # one SKU in LOW_STOCK has 0 to 2 units left


def sku(number: int) -> str:
    return f"SKU-{number:07d}"


def load(conn, n: int, salt: int) -> None:
    conn.executescript(SCHEMA)
    conn.execute(f"""
        WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < {n})
        INSERT INTO inventory (sku, available)
        SELECT printf('SKU-%07d', i), CASE WHEN h % {LOW_STOCK} = 0 THEN h / 16 % 3 ELSE 40 + h / 8 % 400 END
        FROM (SELECT i, {mix('i', salt)} AS h FROM seq)""")


def low_stock(conn) -> set[str]:
    return {s for (s,) in conn.execute("SELECT sku FROM inventory WHERE available < 3")}


def cart(rng: random.Random, n_skus: int, lines: int, max_quantity: int) -> list[dict]:
    """Distinct SKUs, popular (low) numbers more often; now and then a discontinued SKU."""
    chosen: dict[str, int] = {}
    while len(chosen) < lines:
        number = 1 + int(rng.random() * rng.random() * n_skus)
        code = sku(number) if rng.random() > 0.01 else sku(n_skus + rng.randrange(1, 1000))
        chosen.setdefault(code, rng.randint(1, max_quantity))
    return [{"sku": code, "quantity": q} for code, q in chosen.items()]


def wholesale(rng: random.Random, n_skus: int, lines: int, avoid: set[str], short: int) -> list[dict]:
    """A restocking order over well-stocked SKUs, with `short` lines asking for more than there is."""
    numbers = rng.sample(range(1, n_skus + 1), lines + len(avoid) + short)
    codes = [sku(n) for n in numbers if sku(n) not in avoid][:lines]
    order = [{"sku": code, "quantity": rng.randint(1, 12)} for code in codes]
    for line in rng.sample(order, short):
        line["quantity"] = 1000 + rng.randrange(500)
    return order


def fingerprint(table: str, columns: list[str], key: str) -> str:
    """An order-free digest of a table in SQL, each row weighted by the number in its `key` column."""
    terms = ", ".join(f"sum(n * {c} % {p})" for c, p in zip(columns, (1_000_003, 999_983, 999_979, 999_961)))
    return (f"SELECT count(*), {terms} FROM (SELECT CAST(substr({key}, 5) AS INTEGER) * 7919 + 1 AS n, * "
            f"FROM {table})")


def build(spec, tier, seed: int) -> World:
    rng = random.Random(f"{spec.id}:{tier.name}:{seed}")
    n_skus = tier.size
    db, avoid = writable_database(
        spec.platform["db"], lambda conn: (load(conn, n_skus, rng.randrange(1, PRIME)), low_stock(conn))[1],
        checks={"inventory": fingerprint("inventory", ["available"], "sku"),
                "orders": fingerprint("orders", ["customer_id", "line_count", "units", "length(status)"], "id"),
                "order_lines": fingerprint("order_lines", ["quantity", "CAST(substr(sku, 5) AS INTEGER)"],
                                           "order_id")},
        share=(spec.id, tier.name, seed))
    rng = random.Random(f"{spec.id}:{tier.name}:{seed}:orders")
    carts = [cart(rng, n_skus, rng.randint(1, tier.params["max_lines"]), 3) for _ in range(tier.requests)]
    big = tier.params.get("wholesale_lines")
    if big:  # two wholesale orders among the carts: one placed, one short of stock on a few lines
        carts[3] = wholesale(rng, n_skus, big, avoid, short=0)
        carts[8] = wholesale(rng, n_skus, big, avoid, short=4)
    requests = [Request({"order_id": f"ORD-{1_000_000 + i:07d}", "customer_id": rng.randrange(1, 50_000),
                         "lines": lines}) for i, lines in enumerate(carts, 1)]
    return World(db.clock, {"db": db}, requests)
