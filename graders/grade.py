"""The grader: extract the code, run the driver in a sandbox tier by tier, apply the budgets, give a verdict."""
import asyncio
import hashlib
import json
import secrets
from pathlib import Path
from typing import Any

from ..sandbox.registry import factory
from ..tasks.spec import DEMO_TIER, TaskSpec
from .efficiency import efficiency, no_tiers
from .errors import HarnessError
from .extract import extract
from .growth import growth
from .verdict import failed_verdict, summarise, tier_failure

DRIVER_COMMAND = ["python3", "-m", "scaleblind.graders.driver"]
DEFAULT_SEED = 0  # `tasks validate` and tests: fixed worlds. Evaluations and `grade` draw fresh seeds.
SEED_BITS = 31    # seeds are non-negative and fit every generator (SQL salts included)
DRIVER_OVERHEAD_S = 60  # generation, reference runs and calibration on top of the tiers' own timeouts
TIER_KEYS = ("tier", "size", "failure", "correct", "requests_total", "requests_done", "p95_latency_ms",
             "max_latency_ms", "mean_latency_ms", "total_ms", "compute_ms", "calibration_factor", "wait_total_ms",
             "peak_memory_mb", "api_calls", "queries", "db_bytes", "rate_limited", "wall_s", "message", "diff",
             "memory_meter", "meters", "reference_meters")


def fresh_seed() -> int:
    """A seed nobody could know in advance: the generators are public, so a fixed seed's answers could be
    memorised."""
    return secrets.randbits(SEED_BITS)


def new_nonce() -> str:
    """A run's secret, from which every sample's seed is derived (`sample_seed`)."""
    return secrets.token_hex(16)


def sample_seed(nonce: str, sample_id: str | int, epoch: int) -> int:
    """The seed of one sample of a run: fresh for every run (its nonce), sample and epoch, and recorded in the
    sample's score so a regrade with it builds the same worlds."""
    digest = hashlib.sha256(f"{nonce}:{sample_id}:{epoch}".encode()).digest()
    return int.from_bytes(digest[:8], "big") >> (64 - SEED_BITS)


def exec_timeout(spec: TaskSpec) -> int:
    return int(sum(t.wall_timeout_s for t in spec.tiers) + DRIVER_OVERHEAD_S)


async def run_driver(env: Any, job: dict, timeout: int) -> dict:
    """Run the trusted driver in a sandbox environment (ours or inspect's) and read its one-line JSON.

    Anything that keeps it from answering is ours, never the solution's: the driver holds its own deadlines,
    so the sandbox's exec timeout, a lost container or output that is not the driver's JSON is HarnessError."""
    try:
        result = await env.exec(DRIVER_COMMAND, input=json.dumps(job), timeout=timeout)
    except (TimeoutError, asyncio.TimeoutError) as exc:
        raise HarnessError(f"the driver did not finish within {timeout} s ({exc})") from None
    except Exception as exc:  # inspect's SandboxUnavailableError, OutputLimitExceededError, engine errors
        raise HarnessError(f"the sandbox failed to run the driver: {type(exc).__name__}: {exc}") from exc
    lines = [line for line in result.stdout.splitlines() if line.strip()]
    if not lines:
        raise HarnessError(f"the driver printed nothing (exit {result.returncode}): {result.stderr[-500:]}")
    try:
        data = json.loads(lines[-1])
    except ValueError:
        raise HarnessError(f"the driver printed no result (exit {result.returncode}): {lines[-1][-300:]}") from None
    if "harness_error" in data:
        raise HarnessError(data["harness_error"])
    return data


def verdict_from_run(spec: TaskSpec, run: dict) -> dict:
    """Pure: budgets applied to the driver's measurements. The host recomputes every tier's failure."""
    tiers = []
    for record in run["tiers"]:
        budget = spec.tier(record["tier"]).budget.__dict__
        record = {**record, "failure": tier_failure(record, budget), "budget": budget}
        tiers.append(record)
    verdict = summarise(tiers, DEMO_TIER, spec.tier_names)
    return {**verdict, "task": spec.id, "task_version": spec.version, "seed": run["seed"],
            "calibration": run["calibration"], "growth": growth(tiers),
            "efficiency": efficiency(tiers, spec.tier_names),
            "tiers": [{k: t.get(k) for k in (*TIER_KEYS, "budget")} for t in tiers]}


async def grade_code(spec: TaskSpec, code: str, env: Any, seed: int = DEFAULT_SEED,
                     tiers: list[str] | None = None) -> dict:
    """Grade code that already parses, in an open sandbox environment."""
    job = {"task": spec.id, "code": code, "tiers": tiers, "seed": seed, "stop_on_fail": True}
    return verdict_from_run(spec, await run_driver(env, job, exec_timeout(spec)))


async def grade_answer(spec: TaskSpec, answer: str, env: Any, seed: int = DEFAULT_SEED,
                       tiers: list[str] | None = None) -> dict:
    """Grade a model's answer or a solution file's text: `no_code` / `syntax_error` instead of a crash."""
    found = extract(answer, spec.entry)
    if found.problem:
        return {**failed_verdict(found.problem, found.detail), "task": spec.id, "task_version": spec.version,
                "seed": seed, "efficiency": no_tiers(spec.tier_names)}
    return {**await grade_code(spec, found.code, env, seed, tiers), "code": found.code}


def grade_file(spec: TaskSpec, path: Path, sandbox: str, seed: int = DEFAULT_SEED,
               tiers: list[str] | None = None) -> dict:
    """Synchronous entry for the command line."""
    return asyncio.run(_grade_file(spec, path.read_text(encoding="utf-8"), sandbox, seed, tiers))


async def _grade_file(spec: TaskSpec, text: str, sandbox: str, seed: int, tiers: list[str] | None) -> dict:
    async with factory(sandbox)() as env:
        return await grade_answer(spec, text, env, seed, tiers)
