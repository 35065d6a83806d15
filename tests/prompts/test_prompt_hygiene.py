"""Ingredient hygiene. The sections every variant shares (feature, contract, runtime, deliverable, the two-turn
requests) say only what the code needs to be correct; every cost, limit, physical-design fact and scale number
lives in the `scale_numbers` or `boundaries` ingredient. So the vague prompt holds none of them, an ablation
drops all of its ingredient, and the blueprint carries every number the platform is configured with."""
import re
import tomllib
from pathlib import Path

import pytest

from scaleblind.graders.driver import build_world
from scaleblind.graders.verdict import MAX_REQUEST_FACTOR, STARTUP_ALLOWANCE_MS
from scaleblind.platforms.api import PAGE_SIZE_ARGS
from scaleblind.platforms.database import DatabaseConfig
from scaleblind.platforms.endpoints import client_methods
from scaleblind.prompts.render import (RULE_CONDITIONS, RULES_FILE, boundaries_text, ingredient_templates,
                                       platform_rules, render, render_sections, variant_names)
from scaleblind.tasks.registry import all_tasks

SPECS = list(all_tasks().values())
BANNED_FILE = Path(__file__).with_name("banned_in_shared_sections.txt")
BANNED = [re.compile(line, re.IGNORECASE) for line in BANNED_FILE.read_text(encoding="utf-8").splitlines()
          if line.strip() and not line.startswith("#")]
ALLOWED_FILE = Path(__file__).with_name("allowed_in_shared_sections.toml")
ALLOWED: dict[str, dict[str, str]] = tomllib.loads(ALLOWED_FILE.read_text(encoding="utf-8"))  # task -> phrase -> why
NUMBER = re.compile(r"(?<![\w.,])(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?![\w])")
COUNTED = re.compile(r"(?<![\w.,])(\d+)(?:\s+([a-z]{3,})|%)", re.IGNORECASE)
HTTP_STATUSES = {200, 400, 404, 429, 503}  # interface: the statuses the code must handle, not limits
NOT_NOUNS = {"and", "the", "per", "for", "with", "that", "out", "seconds", "minutes", "hours", "times"}


def shared_sections(spec, variant):
    return [s for turn in render_sections(spec, variant) for s in turn if s.name not in ingredient_templates()]


def numbers(text: str) -> set[float]:
    return {float(token.replace(",", "")) for token in NUMBER.findall(text)}


def facts(text: str) -> tuple[set[float], set[str]]:
    """A text's checkable facts: its numbers of 100 or more or with a fraction (sizes, rates, costs), and its
    small counts of things ("12 categories", "4 warehouses", "85%")."""
    big = {n for n in numbers(text) if (n >= 100 or n != int(n)) and n not in HTTP_STATUSES}
    counted = {f"{m[1]} {m[2].lower()}" if m[2] else f"{m[1]}%" for m in COUNTED.finditer(text)
               if not m[2] or m[2].lower() not in NOT_NOUNS}
    return big, counted


def leaked(text: str, source: str, interface: str = "") -> list[str]:
    """The facts of `source` that `text` repeats; numbers the clients' declared signatures hold (a default such
    as batch_size=1000) are interface, not facts."""
    big, counted = facts(source)
    big -= numbers(interface)
    flat = " ".join(text.split()).lower()
    return sorted([f"{n:g}" for n in numbers(text) & big]
                  + [c for c in counted if re.search(rf"(?<![\w.,]){re.escape(c)}\b" if c[-1] != "%"
                                                      else rf"(?<![\w.,]){re.escape(c)}", flat)])


def signatures(spec) -> str:
    return "\n".join(e.call_text() for c in spec.clients for e in client_methods(c, spec.platform.get(c, {}))[1])


def allowed_pattern(phrase: str) -> re.Pattern:
    """The phrase as whole words, any run of whitespace between them (prompt text wraps)."""
    words = r"\s+".join(re.escape(word) for word in phrase.split())
    return re.compile(rf"(?<!\w){words}(?!\w)", re.IGNORECASE)


def banned_hits(text: str, allowed: tuple[str, ...] | list[str] = ()) -> list[str]:
    """Every banned word in `text`, once the task's allowed phrases (product words, see ALLOWED_FILE) are
    blanked out of it."""
    for phrase in sorted(allowed, key=len, reverse=True):
        text = allowed_pattern(phrase).sub("[allowed]", text)
    hits = []
    for pattern in BANNED:
        for match in pattern.finditer(text):
            start = max(0, match.start() - 40)
            hits.append(f"{pattern.pattern!r}: ...{text[start:match.end() + 40]}...".replace("\n", " "))
    return hits


def test_the_banned_list_is_read_and_catches_what_the_issue_saw():
    assert len(BANNED) > 50
    for seen in ("every call on them costs platform time", "a server-side cursor, one round trip per batch",
                 "Index: orders(created_at).", "query 101 raises QueryCapExceeded", "at most 250 items per page "
                 "(larger per_page values are clamped to 250)", "Each call is a network request",
                 "a rate limit of 1 request per second", "Latency budget: 800 ms", "200,000 contacts"):
        assert banned_hits(seen) or leaked(seen, "200,000 contacts, 250 per page, 101"), seen
    assert not banned_hits("from platform_client import RateLimited; api.list(limit: int = 10)")


def allowed(spec) -> list[str]:
    return list(ALLOWED.get(spec.id, {}))


def test_an_allowed_phrase_hides_only_itself():
    assert not banned_hits("the p99 latency of the service", ["latency", "p99"])
    assert banned_hits("the p99 latency budget", ["latency", "p99"])       # the banned word beside it still counts
    assert banned_hits("the p99 latency of the service", ["latency"])      # only the phrases given are allowed
    assert banned_hits("a report that runs every 15 minutes", ["the last 15 minutes"])
    assert banned_hits("over the last 15 minutes", ["the last 15 minutes"]) == []


@pytest.mark.parametrize("task_id", list(ALLOWED))
def test_every_allowance_is_for_a_task_needed_and_used(task_id):
    """An allowance no banned pattern catches is not needed; one its task's prompt never uses is stale."""
    spec = all_tasks()[task_id]
    shared = "\n".join(s.text for s in shared_sections(spec, "vague"))
    for phrase, reason in ALLOWED[task_id].items():
        assert reason.strip(), f"{task_id}: say why {phrase!r} is the product's word, not the platform's"
        assert banned_hits(phrase), f"{task_id}: {phrase!r} is not banned, so it needs no allowance"
        assert allowed_pattern(phrase).search(shared), f"{task_id}: {phrase!r} is not in the task's prompt"


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.id)
@pytest.mark.parametrize("variant", variant_names())
def test_shared_sections_hold_no_cost_limit_design_or_size_words(spec, variant):
    for section in shared_sections(spec, variant):
        hits = banned_hits(section.text, allowed(spec))
        assert not hits, (section.name, hits)


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.id)
def test_vague_prompt_holds_none_of_the_tasks_scale_or_boundary_facts(spec):
    vague = "\n".join(render(spec, "vague"))
    assert {s.name for turn in render_sections(spec, "vague") for s in turn}.isdisjoint(ingredient_templates())
    assert not banned_hits(vague, allowed(spec)), banned_hits(vague, allowed(spec))
    assert not leaked(vague, spec.scale, signatures(spec)), "scale facts in the vague prompt"
    assert not leaked(vague, spec.boundaries, signatures(spec)), "boundary facts in the vague prompt"


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.id)
@pytest.mark.parametrize("variant", variant_names())
def test_no_variant_carries_a_fact_outside_its_ingredients(spec, variant):
    """An ablation drops all of its ingredient: no scale or boundary fact survives in the other sections."""
    for section in (s for turn in render_sections(spec, variant) for s in turn):
        if section.name not in ("scale_numbers", "boundaries"):
            assert not leaked(section.text, spec.scale + "\n" + spec.boundaries, signatures(spec)), section.name


# --- the blueprint carries every number the platform is configured with, and every index ---------------------

def mentions(text: str, value: float, units: tuple[str, ...]) -> bool:
    """`value` written with one of `units` (thousands separators allowed), e.g. 1800 s as "1,800 s"."""
    flat = " ".join(text.split())
    for match in re.finditer(rf"(?<![\w.,])((?:\d{{1,3}}(?:,\d{{3}})+|\d+)(?:\.\d+)?)\s*({'|'.join(units)})\b",
                             flat):
        if abs(float(match[1].replace(",", "")) - value) < 1e-9:
            return True
    return False


def in_time_units(text: str, ms: float) -> bool:
    return (mentions(text, ms, ("ms", "milliseconds?")) or mentions(text, ms / 1000, ("s", "seconds?"))
            or mentions(text, ms * 1000, ("microseconds?", "µs")))


# The keys of a `[platform.<client>]` table: costs (in ms), limits (counts), and keys that are no number.
COST_KEYS = ("latency_ms", "per_item_ms", "round_trip_ms", "per_row_ms", "per_kb_ms", "per_kstep_ms",
             "per_write_ms", "write_row_ms", "commit_ms")
LIMIT_KEYS = ("bucket_capacity", "refill_per_s", "max_calls_per_request", "max_rejected_per_request",
              "max_queries_per_request", "max_params_per_statement", "page_size_cap")
NOT_A_NUMBER_KEYS = ("kind", "endpoints", "on_limit")


def platform_numbers(spec) -> list[tuple[str, float, str]]:
    """(name, value, kind) of every configured cost and limit the solution can run into."""
    out = []
    budget = spec.tier(spec.target_tier).budget
    out += [("memory_mb", budget.memory_mb, "MB")]
    out += [(name, getattr(budget, name), "time") for name in ("latency_ms_p95", "total_ms", "max_request_ms")
            if getattr(budget, name)]
    for client, table in spec.platform.items():
        for key in COST_KEYS:
            if table.get(key):
                out.append((f"{client}.{key}", table[key], "time"))
        params = {p.name for e in client_methods(client, table)[1] for p in e.params}
        limits = [k for k in LIMIT_KEYS if k != "page_size_cap" or params & set(PAGE_SIZE_ARGS)]
        out += [(f"{client}.{key}", table[key], "count") for key in limits if table.get(key) is not None]
    return out


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.id)
def test_every_configured_platform_key_is_a_checked_cost_or_limit(spec):
    """A new cost or limit key must join COST_KEYS or LIMIT_KEYS, so the boundaries are checked for it."""
    for client, table in spec.platform.items():
        unknown = set(table) - set(COST_KEYS) - set(LIMIT_KEYS) - set(NOT_A_NUMBER_KEYS)
        assert not unknown, f"[platform.{client}] sets {sorted(unknown)}: add each to COST_KEYS or LIMIT_KEYS"


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.id)
def test_blueprint_boundaries_carry_every_configured_cost_and_limit(spec):
    text = boundaries_text(spec)
    for name, value, kind in platform_numbers(spec):
        if kind == "MB":
            assert mentions(text, value, ("MB",)), name
        elif kind == "time":
            assert in_time_units(text, value), f"{name} = {value} ms is not in the boundaries"
        else:
            assert value in numbers(text), f"{name} = {value} is not in the boundaries"


def test_platform_rules_apply_by_a_known_condition_and_state_the_enforced_numbers():
    rules = tomllib.loads(RULES_FILE.read_text(encoding="utf-8"))["rules"]
    assert {rule["when"] for rule in rules.values()} <= set(RULE_CONDITIONS)
    db_task = next(s for s in SPECS if "db" in s.clients)
    text = boundaries_text(db_task)
    assert in_time_units(text, DatabaseConfig.from_spec(db_task.platform["db"]).per_kb_ms)
    assert f"{MAX_REQUEST_FACTOR} times" in text and mentions(text, STARTUP_ALLOWANCE_MS / 1000, ("s",))
    assert all(rule in "\n".join(render(db_task, "blueprint")) for rule in platform_rules(db_task))


@pytest.mark.parametrize("spec", [s for s in SPECS if "db" in s.clients], ids=lambda s: s.id)
def test_blueprint_boundaries_name_every_index_and_clustered_table(spec):
    conn = build_world(spec, spec.tier("demo"), 0).platforms["db"].conn
    flat = " ".join(spec.boundaries.split())
    bullets = [" ".join(b.split()) for b in spec.boundaries.split("\n- ")]
    for name, table, sql in conn.execute("SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'index'"):
        if sql is None:
            continue  # the automatic index of a PRIMARY KEY or UNIQUE constraint: the schema already says it
        columns = ", ".join(c.strip() for c in re.search(r"\((.*)\)", sql)[1].split(","))
        assert f"{table}({columns})" in flat, f"index {name} on {table}({columns}) is not in the boundaries"
    for (table,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE '%WITHOUT ROWID'"):
        assert any("WITHOUT ROWID" in b and re.search(rf"\b{table}\b", b) for b in bullets), \
            f"{table} is clustered by its primary key (WITHOUT ROWID), and the boundaries do not say so"
