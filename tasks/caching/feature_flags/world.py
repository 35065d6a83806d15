"""Feature flags and their targeting rules in SQL, edited by product managers between page requests.

Most flags are fully rolled out (flag debt), some roll out to a percentage of users, some target countries,
plans or lists of user ids (beta testers), a few are off. Every edit appends to flag_changes.
"""
import random

from scaleblind.platforms.database_writes import edited_database
from scaleblind.platforms.world import Request, World

AREAS = ["search", "checkout", "billing", "onboarding", "feed", "profile", "mobile", "admin", "reports",
         "notifications", "messaging", "payments"]
COUNTRIES = ["US", "GB", "DE", "FR", "IN", "BR", "JP", "CA", "AU", "NL", "ES", "IT", "MX", "SE", "PL", "KR"]
PLANS = ["free", "pro", "team", "enterprise"]
USERS = 2_000_000
BIG_LISTS = (3, 7, 11)  # these flags, when they target user ids, have the tier's big tester list

SCHEMA = """
CREATE TABLE flags (key TEXT PRIMARY KEY, enabled INTEGER NOT NULL, rollout_percent INTEGER NOT NULL);
CREATE TABLE flag_rules (id INTEGER PRIMARY KEY, flag_key TEXT NOT NULL, attribute TEXT NOT NULL,
                         value TEXT NOT NULL);
CREATE INDEX flag_rules_flag ON flag_rules (flag_key);
CREATE INDEX flag_rules_match ON flag_rules (attribute, value);
CREATE TABLE flag_changes (seq INTEGER PRIMARY KEY, flag_key TEXT NOT NULL);
"""


class Flags:
    """The flags as generated, kept in Python to plan edits that make sense (toggle what exists...)."""

    def __init__(self, rng: random.Random, n_flags: int, big_list: int):
        self.rng = rng
        self.flags: dict[str, list[int]] = {}          # key -> [enabled, rollout_percent]
        self.rules: dict[int, tuple[str, str, str]] = {}  # rule id -> (flag_key, attribute, value)
        self.next_rule, self.next_flag = 1, 1
        for index in range(n_flags):  # kinds spread evenly (golden-ratio steps), so even 12 flags have each
            self.create(big_list if index in BIG_LISTS else 0, index * 0.6180339887 % 1.0)

    def new_key(self) -> str:
        key = f"{self.rng.choice(AREAS)}-{self.next_flag:05d}"
        self.next_flag += 1
        return key

    def add_rule(self, key: str, attribute: str, value: str) -> int:
        rule_id, self.next_rule = self.next_rule, self.next_rule + 1
        self.rules[rule_id] = (key, attribute, value)
        return rule_id

    def create(self, big_list: int, roll: float) -> str:
        key = self.new_key()
        if roll < 0.65:
            self.flags[key] = [1, 100]
        elif roll < 0.75:
            self.flags[key] = [1, self.rng.randint(1, 99)]
        else:
            self.flags[key] = [int(roll < 0.9), 0]
            if roll < 0.82 or roll >= 0.9 and roll < 0.95:
                for value in self.rng.sample(COUNTRIES + PLANS, self.rng.randint(1, 3)):
                    self.add_rule(key, "plan" if value in PLANS else "country", value)
            else:
                for user in self.rng.sample(range(1, USERS + 1), big_list or self.rng.randint(5, 120)):
                    self.add_rule(key, "user_id", str(user))
        return key

    def edit(self) -> tuple[str, list[tuple[str, list]]]:
        """One admin edit as SQL statements, applied to this model too."""
        kind = self.rng.choice(["toggle", "toggle", "rollout", "add_rule", "remove_rule", "create", "delete"])
        key = self.rng.choice(sorted(self.flags))
        if kind == "toggle":
            self.flags[key][0] ^= 1
            return key, [("UPDATE flags SET enabled = ? WHERE key = ?", [self.flags[key][0], key])]
        if kind == "rollout":
            self.flags[key] = [1, self.rng.choice([0, 5, 25, 50, 100])]
            return key, [("UPDATE flags SET enabled = 1, rollout_percent = ? WHERE key = ?",
                          [self.flags[key][1], key])]
        if kind == "add_rule":
            attribute, value = self.rng.choice([("country", self.rng.choice(COUNTRIES)),
                                                ("plan", self.rng.choice(PLANS)),
                                                ("user_id", str(self.rng.randint(1, USERS)))])
            rule_id = self.add_rule(key, attribute, value)
            return key, [("INSERT INTO flag_rules VALUES (?, ?, ?, ?)", [rule_id, key, attribute, value])]
        if kind == "remove_rule" and self.rules:
            rule_id = self.rng.choice(sorted(self.rules))
            key = self.rules.pop(rule_id)[0]
            return key, [("DELETE FROM flag_rules WHERE id = ?", [rule_id])]
        if kind == "delete":
            del self.flags[key]
            self.rules = {i: r for i, r in self.rules.items() if r[0] != key}
            return key, [("DELETE FROM flag_rules WHERE flag_key = ?", [key]),
                         ("DELETE FROM flags WHERE key = ?", [key])]
        key = self.create(0, self.rng.random())
        return key, [("INSERT INTO flags VALUES (?, ?, ?)", [key, *self.flags[key]])] + [
            ("INSERT INTO flag_rules VALUES (?, ?, ?, ?)", [i, *r]) for i, r in self.rules.items() if r[0] == key]


def load(conn, model: Flags) -> None:
    conn.executescript(SCHEMA)
    conn.executemany("INSERT INTO flags VALUES (?, ?, ?)", [(k, *v) for k, v in model.flags.items()])
    conn.executemany("INSERT INTO flag_rules VALUES (?, ?, ?, ?)", [(i, *r) for i, r in model.rules.items()])
    conn.executemany("INSERT INTO flag_changes (flag_key) VALUES (?)", [(k,) for k in model.flags])


def build(spec, tier, seed: int) -> World:
    rng = random.Random(f"{spec.id}:{tier.name}:{seed}")
    model = Flags(rng, tier.size, tier.params["big_list"])
    testers = [int(v) for k, a, v in model.rules.values() if a == "user_id"]
    db, _ = edited_database(spec.platform["db"], lambda conn: load(conn, model), edits={})
    edits: dict[int, list[tuple[str, list]]] = {}
    for index in rng.sample(range(1, tier.requests), tier.params["edited_requests"]):
        for _ in range(rng.randint(1, 3)):
            key, statements = model.edit()
            logged = ("INSERT INTO flag_changes (flag_key) VALUES (?)", [key])
            edits.setdefault(index, []).extend([*statements, logged])
    db.edits = edits
    def user() -> dict:  # some users are beta testers of something
        uid = rng.choice(testers) if testers and rng.random() < 0.3 else rng.randint(1, USERS)
        return {"id": uid, "country": rng.choice(COUNTRIES), "plan": rng.choice(PLANS)}

    requests = [Request({"user": user()}) for _ in range(tier.requests)]
    return World(db.clock, {"db": db}, requests)
