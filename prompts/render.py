"""Render a task into a prompt variant: a list of user turns built from template files.

The wording lives in `templates/*.md` and `runtime.md`; which templates a variant uses, and in what order, lives
in `variants.toml`. Keeping the text out of code means an ablation is visibly "the blueprint minus one file".
"""
import re
import textwrap
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from string import Template

from ..graders.verdict import MAX_REQUEST_FACTOR, STARTUP_ALLOWANCE_MS
from ..platforms.database import DatabaseConfig
from ..platforms.endpoints import methods_text
from ..tasks.spec import Budget, TaskSpec

PROMPTS_ROOT = Path(__file__).resolve().parent
TEMPLATES = PROMPTS_ROOT / "templates"
VARIANTS_FILE = PROMPTS_ROOT / "variants.toml"
RUNTIME_FILE = PROMPTS_ROOT / "runtime.md"
RULES_FILE = PROMPTS_ROOT / "platform_rules.toml"
COMMON_SECTIONS = ("contract", "runtime", "deliverable")  # carried by every variant, identical text
INGREDIENT_FLAGS = ("role", "numbers", "boundaries", "analysis_first", "analysis_after", "vague_scale", "two_turn")
VARIANT_SPEC = re.compile(r"^(?P<name>[a-z_]+)(?:@t=(?P<temperature>\d+(?:\.\d+)?))?$")


class UnknownVariant(KeyError):
    def __str__(self) -> str:
        return f"unknown variant {self.args[0]!r}; choose from {', '.join(variant_names())}"


@dataclass(frozen=True)
class Variant:
    name: str
    description: str
    turns: tuple[tuple[str, ...], ...]   # template names per user turn
    ingredients: dict[str, bool]


@dataclass(frozen=True)
class Section:
    name: str
    text: str


@dataclass(frozen=True)
class VariantRun:
    """A variant as a run asks for it: `vague@t=1.0` is the vague prompt sampled at temperature 1.0."""

    name: str
    temperature: float | None = None

    @property
    def label(self) -> str:
        return self.name if self.temperature is None else f"{self.name}@t={self.temperature:g}"


@cache
def _config() -> dict:
    return tomllib.loads(VARIANTS_FILE.read_text(encoding="utf-8"))


def ingredient_templates() -> set[str]:
    """The templates that carry an ingredient (role, numbers, limits, analysis...): the only sections that may
    speak of scale, costs or limits; every other section is shared by the vague prompt."""
    return set(_config()["ingredients"].values())


def _ingredients(turns: tuple[tuple[str, ...], ...]) -> dict[str, bool]:
    """Flags derived from the templates a variant uses, so a flag never disagrees with the text."""
    used = {name for turn in turns for name in turn}
    flags = {flag: template in used for flag, template in _config()["ingredients"].items()}
    return {**flags, "two_turn": len(turns) > 1}


@cache
def variants() -> dict[str, Variant]:
    out = {}
    for name, raw in _config()["variants"].items():
        turns = tuple(tuple(turn) for turn in raw["turns"])
        used = [t for turn in turns for t in turn]
        for common in COMMON_SECTIONS:
            if used.count(common) != 1:
                raise ValueError(f"{VARIANTS_FILE}: variant {name!r} must use {common!r} exactly once")
        out[name] = Variant(name, raw["description"], turns, _ingredients(turns))
    return out


def variant_names() -> list[str]:
    return list(variants())


def get_variant(name: str) -> Variant:
    try:
        return variants()[name]
    except KeyError:
        raise UnknownVariant(name) from None


def parse_variant_spec(text: str) -> VariantRun:
    """`blueprint` or `vague@t=1.0` -> VariantRun; raises ValueError with the accepted forms."""
    match = VARIANT_SPEC.match(text.strip())
    if not match:
        raise ValueError(f"bad variant {text!r}: write NAME or NAME@t=TEMPERATURE, e.g. vague@t=1.0")
    get_variant(match["name"])
    temperature = match["temperature"]
    return VariantRun(match["name"], None if temperature is None else float(temperature))


@cache
def _template(name: str) -> Template:
    path = TEMPLATES / f"{name}.md"
    if not path.is_file():
        raise ValueError(f"variants.toml names a template that does not exist: {path}")
    return Template(path.read_text(encoding="utf-8").strip())


def runtime_text() -> str:
    return RUNTIME_FILE.read_text(encoding="utf-8").strip()


def contract_text(spec: TaskSpec) -> str:
    """The task's contract with each `${client}` placeholder replaced by that client's declared methods, so the
    prompt lists exactly the calls the platform serves, with their real signatures."""
    methods = {client: methods_text(client, spec.platform.get(client, {})) for client in spec.clients}
    try:
        return Template(spec.contract).substitute(methods)
    except (KeyError, ValueError) as exc:
        raise ValueError(f"{spec.id}: bad placeholder in the contract ({exc}); use ${{<client>}} for one of "
                         f"{list(spec.clients)} and $$ for a dollar sign") from None


def _number(value: float) -> str:
    return f"{value:g}"


# When a platform rule applies to a task (the `when` of each rule in platform_rules.toml).
RULE_CONDITIONS = {
    "always": lambda spec: True,
    "latency budget": lambda spec: spec.tier(spec.target_tier).budget.latency_ms_p95 is not None,
    "db": lambda spec: "db" in spec.clients,
}


def max_request_text(budget: Budget) -> str:
    """`4 times it`, or the task's own cap on a single request (`2 s`)."""
    if budget.max_request_ms is None:
        return f"{_number(MAX_REQUEST_FACTOR)} times it"
    ms = budget.max_request_ms
    return f"{_number(ms / 1000)} s" if ms >= 1000 else f"{_number(ms)} ms"


@cache
def _rules() -> dict:
    return tomllib.loads(RULES_FILE.read_text(encoding="utf-8"))["rules"]


def platform_rules(spec: TaskSpec) -> list[str]:
    """The rules of platform_rules.toml that apply to `spec`, with the numbers the graders enforce."""
    rules = _rules()
    db = DatabaseConfig.from_spec(spec.platform.get("db", {}))
    numbers = {"max_request": max_request_text(spec.tier(spec.target_tier).budget),
               "startup_allowance_s": _number(STARTUP_ALLOWANCE_MS / 1000), "per_kb_ms": _number(db.per_kb_ms)}
    return [textwrap.fill(Template(rule["text"]).substitute(numbers), 110, subsequent_indent="  ")
            for rule in rules.values() if RULE_CONDITIONS[rule["when"]](spec)]


def boundaries_text(spec: TaskSpec) -> str:
    """The task's own hard limits, then the platform rules that apply to it."""
    return "\n".join([spec.boundaries.strip(), *platform_rules(spec)])


def _fields(spec: TaskSpec) -> dict[str, str]:
    return {"feature": spec.feature, "contract": contract_text(spec), "scale": spec.scale,
            "boundaries": boundaries_text(spec), "runtime": runtime_text(), "entry": spec.entry}


def render_sections(spec: TaskSpec, variant: str) -> list[list[Section]]:
    """Each user turn as its named sections (tests compare variants section by section)."""
    fields = _fields(spec)
    return [[Section(name, _template(name).substitute(fields)) for name in turn]
            for turn in get_variant(variant).turns]


def render(spec: TaskSpec, variant: str) -> list[str]:
    """The user turns of `variant` for `spec`, in order."""
    return ["\n\n".join(s.text for s in turn) for turn in render_sections(spec, variant)]


def prompts_version() -> str:
    """A short hash of every prompt file, stamped on eval logs: changed wording means a different benchmark."""
    import hashlib
    digest = hashlib.sha256()
    for path in sorted([VARIANTS_FILE, RUNTIME_FILE, RULES_FILE, *TEMPLATES.glob("*.md")]):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:12]
