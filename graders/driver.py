"""The trusted driver: runs inside the sandbox, beside (never inside) the untrusted solution process.

Reads one job (JSON) on stdin, writes one result (JSON) on stdout. For each tier it builds the task's world,
computes the expected answers with the reference solution in its own memory, starts the solution process,
sends it the requests, serves its platform calls (keeping the virtual clock and the counters), measures its
CPU time and peak memory from outside (memory.py), and compares every answer with the expected one. Standard
library only, Python 3.11.2, because it runs in the sandbox image.

Whatever the solution does ends in a verdict: every message it sends is checked (messages.py), the driver never
blocks on it (process.py) and its deadlines (wall timeout, latency kill, memory) are checked every POLL_S. An
exception in our own code is a harness error, reported as {"harness_error": ...}, never as the solution's crash.

Job: {"task": id, "code": str, "tiers": [names] | null, "seed": int, "stop_on_fail": bool}
"""
import inspect
import json
import math
import os
import shutil
import statistics
import sys
import tempfile
import time
import traceback
import types
import typing
from pathlib import Path
from types import ModuleType
from typing import Any

from ..platforms.errors import PlatformError
from ..platforms.world import World
from ..tasks.registry import REFERENCE_MODULE, WORLD_MODULE, get_task, task_module
from ..tasks.spec import TaskSpec, Tier
from . import calibration, messages
from .efficiency import tier_meters
from .errors import OURS, HarnessError
from .memory import CGROUP_ENV, limit_mb, modules_to_warm, open_meter, warm_imports
from .process import (POLL_S, SOLUTION_LIB, SolutionProcess, cpu_ns, encode, python_path_for_solution,
                      reset_scratch, CalibrationWorker)
from .verdict import (MAX_REQUEST_FACTOR, STARTUP_ALLOWANCE_MS, allowed_slow_requests, p95, request_cap_ms,
                      tier_failure)

BENCHMARK_PACKAGES = ("scaleblind", "scaleblind.tasks", "scaleblind.graders", "scaleblind.platforms",
                      "scaleblind.sandbox", "scaleblind.results", "scaleblind.prompts", "scaleblind.models")


def benchmark_dirs() -> list[str]:
    """The folders of the benchmark's own code (generators, references, the driver): solutions may not read
    them. Only these folders: a virtualenv inside the checkout must stay readable (numpy, pandas)."""
    import importlib.util
    dirs = []
    for name in BENCHMARK_PACKAGES:
        try:
            found = importlib.util.find_spec(name)
        except ImportError:
            continue
        dirs += list(found.submodule_search_locations or []) if found else []
    return sorted({str(Path(d).resolve()) for d in dirs})
MAX_DIFF_CHARS = 300


CALL_OPS = ("call", "now", "sleep")  # what a solution may ask the platform; anything else ends a request


def serve(world: World, message: dict) -> dict:
    """Answer one platform message from a solution (or from the in-process reference).

    The message is untrusted: a malformed one, or a call that does not fit the endpoint, gets the platform's
    400 (`BadRequest`). An exception from a platform handler given a valid call is ours: HarnessError."""
    problem = messages.problem(message)
    if problem:
        return bad_request(f"400: {problem}")
    op = message.get("op")
    if op == "now":
        return {"ok": world.clock.now_ms}
    if op == "sleep":
        ms = message.get("ms")
        if not isinstance(ms, (int, float)) or not 0 <= ms <= 86_400_000 or math.isnan(ms):
            return bad_request("sleep takes 0 to 86400 seconds")
        world.clock.advance(float(ms))
        return {"ok": None}
    platform = world.platforms.get(message.get("client"))
    if op != "call" or platform is None:
        return bad_request(f"unknown client {message.get('client')!r}")
    try:
        return {"ok": platform.handle(message)}
    except PlatformError as exc:
        error = {"type": exc.wire_name, "message": str(exc), "reason": exc.reason}
        if exc.ends_tier:
            error["ends_tier"] = True
        if hasattr(exc, "retry_after_ms"):
            error["retry_after_ms"] = exc.retry_after_ms
        return {"error": error}
    except Exception as exc:  # a bad argument the handler did not check, or our bug: which one decides
        problem = argument_problem(platform, message)
        if problem is None:
            raise HarnessError(f"the {message.get('client')} platform failed on a valid call to "
                               f"{message.get('method')!r}: {type(exc).__name__}: {exc}") from exc
        return bad_request(f"400: {problem}")


def bad_request(text: str) -> dict:
    return {"error": {"type": "BadRequest", "message": text, "reason": "crash"}}


def argument_problem(platform: Any, message: dict) -> str | None:
    """Why a call does not fit its endpoint's declared signature (names, arity, annotated JSON types), or None
    when it fits or nothing is declared: then an exception from the handler is not the caller's fault."""
    endpoint = getattr(platform, "endpoints", {}).get(message.get("method"))
    if endpoint is None:
        return None
    try:
        signature = inspect.signature(endpoint)
        hints = typing.get_type_hints(endpoint)
    except (TypeError, ValueError, NameError):
        return None
    try:
        bound = signature.bind(*message.get("args", []), **message.get("kwargs") or {})
    except TypeError as exc:
        return f"{message.get('method')}: {exc}"
    for name, value in bound.arguments.items():
        kind = signature.parameters[name].kind
        if name in hints and kind not in (inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD) \
                and not fits(value, hints[name]):
            return f"{message.get('method')}: {name} must be {typing_name(hints[name])}, got {value!r:.60}"
    return None


def fits(value: Any, annotation: Any) -> bool:
    """Does a JSON value fit a simple annotation (int, float, str, bool, list, dict, None, unions of them)?
    Anything it cannot judge fits."""
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        return any(fits(value, arg) for arg in typing.get_args(annotation))
    if annotation is None or annotation is type(None):
        return value is None
    annotation = origin or annotation
    if annotation is float:
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if annotation in (int, str, bool, list, dict):
        return isinstance(value, annotation)
    return True


def typing_name(annotation: Any) -> str:
    return getattr(annotation, "__name__", None) or str(annotation)


class InProcessChannel:
    """Lets the trusted reference use the same client stubs as solutions, without a process boundary."""

    def __init__(self, world: World):
        self.world = world

    def call(self, message: dict) -> dict:
        return serve(self.world, message)


def client_config(spec: TaskSpec, world: World) -> dict[str, dict]:
    """What the solution process builds its clients from: each client's kind and, for an API, the declared
    endpoints the platform binds every call against (the solution cannot read the task's files)."""
    out = {}
    for name in spec.clients:
        platform = world.platforms[name]
        declared = getattr(platform, "declared", {})
        out[name] = {"kind": platform.kind, "endpoints": [e.to_wire() for e in declared.values()]}
    return out


def build_world(spec: TaskSpec, tier: Tier, seed: int) -> World:
    return task_module(spec, WORLD_MODULE).build(spec, tier, seed)


def normalizer(spec: TaskSpec):
    return getattr(task_module(spec, WORLD_MODULE), "normalize", lambda output: output)


def platform_outputs(spec: TaskSpec, world: World) -> dict[str, Any]:
    """What the solution left on its platforms that the answer includes: the text written to each output
    stream, and the state of each database it may write (the task's checked queries, `checked_state`)."""
    outputs = {}
    for name in spec.clients:
        platform = world.platforms[name]
        output = platform.text() if platform.kind == "sink" else getattr(platform, "checked_state", lambda: None)()
        if output is not None:
            outputs[name] = output
    return outputs


def start_request(world: World) -> None:
    for platform in world.platforms.values():
        platform.start_request()


def chained_args(request, previous: Any) -> dict:
    args = dict(request.args)
    for arg, key in request.chain.items():
        args[arg] = previous.get(key) if isinstance(previous, dict) else None
    return args


def fresh_module(spec: TaskSpec, name: str) -> ModuleType:
    """A new instance of a task's solution file, so module-level state (caches, a mirror) starts empty
    on every run, as it does in a fresh solution process."""
    path = spec.folder / f"{name}.py"
    module = ModuleType(f"scaleblind_trusted_{name}")
    module.__file__ = str(path)
    exec(compile(path.read_text(encoding="utf-8"), str(path), "exec"), module.__dict__)
    return module


def run_in_process(spec: TaskSpec, world: World, module: str = REFERENCE_MODULE,
                   after_each=None) -> list[Any]:
    """Run a trusted solution module (the reference, or the naive one in tests) in this process against
    `world`, through the same client stubs and messages as a solution; returns the compared answers.
    `after_each(world, answer)` is called after every request (tests read per-request usage there)."""
    sys.path.insert(0, str(SOLUTION_LIB))
    import platform_client
    platform_client._channel = InProcessChannel(world)
    entry = getattr(fresh_module(spec, module), spec.entry)
    outputs, previous, normalize = [], None, normalizer(spec)
    clients = platform_client.make_clients(client_config(spec, world))   # one set per process, as in the sandbox
    for request in world.requests:
        start_request(world)
        platform_client.start_request(clients)
        value = entry(**clients, **chained_args(request, previous))
        for client in clients.values():
            if isinstance(client, platform_client.Sink):
                client.flush()
        value = json.loads(platform_client.encode(value))
        outputs.append(normalize(compared(value, platform_outputs(spec, world))))
        if after_each:
            after_each(world, outputs[-1])
        previous = value
    return outputs


def expected_outputs(spec: TaskSpec, tier: Tier, seed: int) -> list[Any]:
    """Ground truth: the reference solution run in the driver's own memory on a fresh copy of the world."""
    return run_in_process(spec, build_world(spec, tier, seed))


def reference_run(spec: TaskSpec, tier: Tier, seed: int) -> tuple[list[Any], dict[str, float]]:
    """The expected answers and, from the same run, the reference's meters (efficiency.py): its cost on
    the same world and seed as the solution's, exact and free, since the oracle runs anyway."""
    usage: list[dict] = []
    outputs = run_in_process(spec, build_world(spec, tier, seed), after_each=lambda w, _: usage.append(world_usage(w)))
    return outputs, tier_meters(usage)


def world_usage(world: World) -> dict:
    """The current request's usage counters, summed over the world's platforms."""
    usage: dict[str, float] = {"io_ms": 0.0}
    for platform in world.platforms.values():
        for key, value in platform.usage().items():
            usage[key] = round(usage.get(key, 0) + value, 3)
    return usage


def compared(value: Any, outputs: dict[str, Any]) -> Any:
    """What is checked: the return value, plus what was left on the platforms (`platform_outputs`)."""
    return {"return": value, **outputs} if outputs else value


def short(value: Any) -> str:
    text = json.dumps(value, sort_keys=True, default=str)
    return text if len(text) <= MAX_DIFF_CHARS else text[:MAX_DIFF_CHARS] + "..."


class TierRun:
    """One tier: the solution process, the world it talks to, and the measurements."""

    def __init__(self, spec: TaskSpec, tier: Tier, seed: int, code: str, factor: float, scratch_root: Path,
                 prepared: tuple[list[Any], dict[str, float], World] | None = None,
                 calibration: "Calibration | None" = None):
        """`factor` normalises CPU time; with a `calibration` it follows its samples, taken between requests."""
        self.spec, self.tier, self.factor, self.calibration = spec, tier, factor, calibration
        self.expected, reference_meters, self.world = prepared or self.prepare(spec, tier, seed)
        self.normalize = normalizer(spec)
        self.budget = tier.budget.__dict__
        self.scratch = Path(tempfile.mkdtemp(prefix=f"{tier.name}-", dir=scratch_root))
        (self.scratch / "solution.py").write_text(code, encoding="utf-8")
        self._hand_scratch_to_solution()
        self.record: dict[str, Any] = {"tier": tier.name, "size": tier.size, "requests_total": len(self.expected),
                                       "requests": [], "error": None, "message": None, "memory_meter": None,
                                       "reference_meters": reference_meters}

    @staticmethod
    def prepare(spec: TaskSpec, tier: Tier, seed: int) -> tuple[list[Any], dict[str, float], World]:
        """The expected answers, the reference's meters (the efficiency score's yardstick) and the solution's
        world, built before the tier's calibration, which then runs right before the solution."""
        expected, reference_meters = reference_run(spec, tier, seed)
        return expected, reference_meters, build_world(spec, tier, seed)

    def _hand_scratch_to_solution(self) -> None:
        """Let the solution uid write its scratch dir. chmod, not chown: the sandbox's root has no CAP_CHOWN."""
        if os.environ.get("SCALEBLIND_SOLUTION_UID") and os.geteuid() == 0:
            os.chmod(self.scratch, 0o777)
            os.chmod(self.scratch / "solution.py", 0o644)

    def config(self) -> dict:
        return {"solution": str(self.scratch / "solution.py"), "entry": self.spec.entry,
                "clients": client_config(self.spec, self.world), "sys_path": python_path_for_solution(),
                "deny": [*benchmark_dirs(), str(self.spec.folder), f"/proc/{os.getpid()}"],
                "writable": [str(self.scratch), "/dev/null"]}

    def run(self) -> dict:
        wall_start = time.monotonic()
        for platform in self.world.platforms.values():  # a query in progress stops at the wall timeout too
            if hasattr(platform, "deadline"):
                platform.deadline = wall_start + self.tier.wall_timeout_s
        meter = open_meter(f"solution-{self.tier.name}", self.budget.get("memory_mb"))
        self.cpu_mark, self.next_watch = 0, 0.0
        self.tier_clock_start = self.world.clock.now_ms
        try:
            process = SolutionProcess(self.config(), self.scratch, meter)
            try:
                self._serve_all(process, wall_start)
            finally:
                self._judge_exit(process, process.finish())
        finally:
            try:
                reset_scratch(self.scratch)
                Path(f"{self.scratch}.log").unlink(missing_ok=True)
            finally:
                meter.close()
        self.record["wall_s"] = round(time.monotonic() - wall_start, 3)
        self._summarise()
        return self.record

    def _judge_exit(self, process: SolutionProcess, exit_info: Any) -> None:
        """Peak memory from the meter; a process the kernel killed at its memory limit is `over_memory`."""
        peak = process.peak_memory_mb
        self.record.update(peak_memory_mb=round(peak, 2), memory_meter=process.meter.name)
        died = exit_info.returncode not in (0, None)
        if self.record["error"] in (None, "crash", "timeout") and process.meter.oom_killed():
            limit = limit_mb(self.budget.get("memory_mb"))
            self._fail("over_memory", f"killed by the kernel at the memory limit ({limit:g} MB; "
                                      f"budget {self.budget.get('memory_mb')} MB)")
        elif self.record["error"] in (None, "crash") and died and self._memory_over(peak):
            self.record["error"] = "over_memory"
        if self.record["error"] == "crash" and not self.record["message"]:
            self.record["message"] = process.output_tail()

    def _memory_over(self, mb: float) -> bool:
        return self.budget.get("memory_mb") is not None and mb > self.budget["memory_mb"]

    def _fail(self, reason: str, message: str) -> None:
        self.record["error"], self.record["message"] = reason, message[-2000:]

    def _serve_all(self, process: SolutionProcess, wall_start: float) -> None:
        first = self._next_message(process, wall_start, request_start=None)
        while first is not None and first.get("op") in ("now", "sleep"):  # module-level code may read the clock
            if not self._send(process, serve(self.world, first), wall_start, None, first):
                return
            first = self._next_message(process, wall_start, request_start=None)
        if first is None:
            return
        if first.get("op") == "error":
            self._fail(first.get("kind") if first.get("kind") in ("syntax_error", "missing_entry") else "crash",
                       str(first.get("message")))
            return
        if first.get("op") != "ready":
            process.kill()
            self._fail("crash", "the solution process did not start")
            return
        startup_ms = self._startup_charge_ms(process)
        self.cpu_mark = self.cpu_sampled = cpu_ns(process.pid)
        previous = None
        self.tier_clock_start = self.world.clock.now_ms
        for index, request in enumerate(self.world.requests):
            outcome = self._one_request(process, chained_args(request, previous), index, wall_start,
                                        startup_ms if index == 0 else 0.0)
            if outcome is None or self.record["error"]:
                return
            previous = outcome
            if self._over_budget_already():
                return
            self._recalibrate(process)

    def _cap_ms(self) -> float:
        return request_cap_ms(self.budget["latency_ms_p95"], self.budget.get("max_request_ms"))

    def _cap_text(self) -> str:
        """`800 ms (4x the 200 ms budget)`, or the task's own cap."""
        if self.budget.get("max_request_ms") is not None:
            return f"{self._cap_ms():g} ms (the most one request may take)"
        return f"{self._cap_ms():g} ms ({MAX_REQUEST_FACTOR}x the {self.budget['latency_ms_p95']:g} ms budget)"

    def _recalibrate(self, process: SolutionProcess) -> None:
        """Between requests (the solution waits for the next one): one more calibration sample each time the
        solution has used SAMPLE_EVERY_CPU_MS of CPU, so the factor follows the load it ran under."""
        used = cpu_ns(process.pid)
        if self.calibration is None or (used - self.cpu_sampled) / 1e6 < calibration.SAMPLE_EVERY_CPU_MS:
            return
        self.calibration.sample()
        self.factor, self.cpu_sampled = self.calibration.factor, used

    def _startup_charge_ms(self, process: SolutionProcess) -> float:
        """Normalised CPU of module-level code beyond STARTUP_ALLOWANCE_MS: charged to the first request."""
        return max(0.0, cpu_ns(process.pid) / 1e6 * self.factor - STARTUP_ALLOWANCE_MS)

    def _startup_over(self, process: SolutionProcess) -> bool:
        """Before "ready": module-level code that already used more CPU than the whole tier may take is stopped."""
        budget = self.budget.get("total_ms")
        if self.budget.get("latency_ms_p95") is not None:  # the charge goes to one request: its cap holds
            budget = self._cap_ms()
        charge = self._startup_charge_ms(process)
        if budget is None or charge <= budget:
            return False
        process.kill()
        self._fail("over_latency", f"stopped: module-level code used {charge + STARTUP_ALLOWANCE_MS:.0f} ms of CPU "
                                   f"before the first request (over {STARTUP_ALLOWANCE_MS:g} ms is charged to it)")
        return True

    def _over_budget_already(self) -> bool:
        """Stop a tier as soon as its verdict can no longer be a pass (keeps grading naive code fast)."""
        requests = self.record["requests"]
        if not all(r["correct"] for r in requests):
            return True
        budget = self.budget.get("latency_ms_p95")
        slow = [r for r in requests if budget is not None and r["latency_ms"] > budget]
        capped = [r for r in slow if r["latency_ms"] > self._cap_ms()]
        if capped or len(slow) > allowed_slow_requests(len(self.expected)):
            worst = max(slow, key=lambda r: r["latency_ms"])
            why = (f"request {requests.index(capped[0]) + 1} took {capped[0]['latency_ms']:.0f} ms, over "
                   f"{self._cap_text()}") if capped else f"{len(slow)} over the {budget:g} ms budget"
            self._fail("rate_limited" if worst.get("rate_limit_wait_ms", 0) > budget else "over_latency",
                       f"stopped after {len(requests)} requests: {why}")
            return True
        total = self.budget.get("total_ms")
        if total is not None and self.world.clock.now_ms - self.tier_clock_start > total:
            self._fail("over_latency", f"stopped: the tier took over its {total:g} ms budget")
            return True
        return False

    def _account_cpu(self, process: SolutionProcess) -> float:
        now = cpu_ns(process.pid)
        delta_ms = max(0, now - self.cpu_mark) / 1e6 * self.factor
        self.cpu_mark = max(self.cpu_mark, now)
        self.world.clock.advance(delta_ms)
        return delta_ms

    def _one_request(self, process: SolutionProcess, args: dict, index: int, wall_start: float,
                     startup_ms: float) -> Any:
        start_request(self.world)
        clock_start = self.world.clock.now_ms
        self.world.clock.advance(startup_ms)
        compute_ms = startup_ms  # CPU used since the previous answer (e.g. by a background thread) counts here
        if not self._send(process, {"op": "request", "args": args}, wall_start, clock_start):
            return None
        while True:
            message = self._next_message(process, wall_start, request_start=clock_start)
            compute_ms += self._account_cpu(process)
            if message is None:
                return None
            op = message.get("op")
            if op in CALL_OPS:
                reply = serve(self.world, message)
                if "error" in reply and reply["error"].get("ends_tier"):  # a cap: the tier fails now
                    self._stop(process, reply["error"]["reason"], reply["error"]["message"], clock_start, compute_ms)
                    return None
                if not self.record["error"] and self._surely_over(process, clock_start):
                    return None  # a chatty request can pass its budget without ever making the driver wait
                if not self._send(process, reply, wall_start, clock_start, message):
                    return None
                continue
            if op in ("result", "error"):
                break
            process.kill()
            self._fail("crash", f"protocol violation: unexpected message {op!r:.60}")
            return None
        usage = self._usage()
        latency = self.world.clock.now_ms - clock_start
        entry = {"latency_ms": round(latency, 3), "compute_ms": round(compute_ms, 3), **usage}
        if op == "error":
            entry["correct"] = False
            self.record["requests"].append(entry)
            reason = "rate_limited" if "RateLimited" in str(message.get("message")) else "crash"
            if not self.record["error"]:
                self._fail(reason, str(message.get("message")))
            return None
        value = message.get("value")
        try:
            got = self.normalize(compared(value, platform_outputs(self.spec, self.world)))
        except Exception as exc:  # the task's normaliser met an answer of the wrong shape: a wrong answer
            got = f"<an answer of the wrong shape: {type(exc).__name__}: {exc}>"
        entry["correct"] = got == self.expected[index]
        self.record["requests"].append(entry)
        if not entry["correct"] and not self.record.get("diff"):
            self.record["diff"] = {"request": short(args), "expected": short(self.expected[index]), "got": short(got)}
        return value

    def _send(self, process: SolutionProcess, message: dict, wall_start: float, request_start: float | None,
              call: dict | None = None) -> bool:
        """Deliver a message; while the solution does not read it, the deadlines still hold (`_watch`)."""
        try:
            line = encode(message)
        except (TypeError, ValueError) as exc:  # e.g. a BLOB the solution's SQL selected: its call, a 400
            platform = self.world.platforms.get(call.get("client")) if call else None
            if getattr(platform, "kind", None) != "db":
                raise HarnessError(f"a reply of ours is not JSON: {exc}") from exc
            line = encode(bad_request(f"400: the result holds a value JSON cannot carry ({exc}); "
                                      "select it as text or a number"))
        if process.send(line, lambda: self._watch(process, wall_start, request_start)):
            return True
        if not self.record["error"]:
            self._fail("crash", "the solution process exited: " + process.output_tail())
        return False

    def _usage(self) -> dict:
        return world_usage(self.world)

    def _next_message(self, process: SolutionProcess, wall_start: float, request_start: float | None) -> dict | None:
        """Wait for the solution's next message; None once the tier is decided (a broken protocol, a deadline)."""
        while True:
            message = process.poll_message(POLL_S)
            if isinstance(message, dict):
                problem = None if message.get("op") in CALL_OPS else messages.problem(message)
                if problem is None:  # platform calls are checked by `serve`, which answers 400
                    # a solution that always has the next message ready still meets the wall timeout and the
                    # memory check (the latency kill waits for a silence, so counters stay reproducible)
                    if time.monotonic() >= self.next_watch and \
                            not self._watch(process, wall_start, request_start, latency=False):
                        return None
                    return message
                message = f"protocol violation: {problem}"
            if isinstance(message, str):
                process.kill()
                self._fail("crash", f"{message}: {process.output_tail()}")
                return None
            if not self._watch(process, wall_start, request_start):
                return None

    def _watch(self, process: SolutionProcess, wall_start: float, request_start: float | None,
               latency: bool = True) -> bool:
        """The driver's deadlines, checked every POLL_S whatever the solution does (computes, stalls, leaves a
        reply unread): False once the tier is decided, with the solution killed."""
        self.next_watch = time.monotonic() + POLL_S
        if time.monotonic() - wall_start > self.tier.wall_timeout_s:
            process.kill()
            self._fail("timeout", f"no answer within {self.tier.wall_timeout_s:.0f} s of real time")
            return False
        if self._memory_over(process.sample_memory()):
            process.kill()
            self._fail("over_memory", f"memory passed {self.budget['memory_mb']} MB")
            return False
        if not latency:
            return True
        if request_start is None:
            return not self._startup_over(process)
        return not self._surely_over(process, request_start)

    def _stop(self, process: SolutionProcess, reason: str, message: str, request_start: float,
              compute_ms: float) -> None:
        """End the tier in the middle of a request (a platform cap was passed): kill the solution, keep the
        request's counters."""
        process.kill()
        self._fail(reason, message)
        self.record["requests"].append({"latency_ms": round(self.world.clock.now_ms - request_start, 3),
                                        "compute_ms": round(compute_ms, 3), "correct": False, "unfinished": True,
                                        **self._usage()})

    def _surely_over(self, process: SolutionProcess, request_start: float) -> bool:
        """While a request computes: is it already so slow that the tier must fail?"""
        pending = max(0, cpu_ns(process.pid) - self.cpu_mark) / 1e6 * self.factor
        elapsed = self.world.clock.now_ms + pending - request_start
        budget = self.budget.get("latency_ms_p95")
        slow = sum(1 for r in self.record["requests"] if budget is not None and r["latency_ms"] > budget)
        too_slow = budget is not None and elapsed > budget and (
            slow + 1 > allowed_slow_requests(len(self.expected)) or elapsed > self._cap_ms())
        total = self.budget.get("total_ms")
        too_long = total is not None and self.world.clock.now_ms + pending - self.tier_clock_start > total
        if too_slow or too_long:
            process.kill()
            capped = budget is not None and elapsed > self._cap_ms()
            self._fail("over_latency", f"stopped: request {len(self.record['requests']) + 1} took over "
                       f"{self._cap_text()}" if capped else "stopped: the request was already over its latency budget")
            self.record["requests"].append({"latency_ms": round(elapsed, 3), "compute_ms": round(pending, 3),
                                            "correct": False, "unfinished": True, **self._usage()})
            return True
        return False

    def _summarise(self) -> None:
        requests = [r for r in self.record["requests"] if not r.get("unfinished")]
        every = self.record["requests"]
        latencies = [r["latency_ms"] for r in every]
        self.record.update({
            "requests_done": len(requests),
            "correct": bool(requests) and len(requests) == len(self.expected) and all(r["correct"] for r in requests),
            "latencies_ms": latencies,
            "waits_ms": [r.get("rate_limit_wait_ms", 0.0) for r in every],
            "p95_latency_ms": p95(latencies),
            "max_latency_ms": max(latencies, default=None),
            "mean_latency_ms": round(statistics.fmean(latencies), 3) if latencies else None,
            "total_ms": round(sum(latencies), 3),
            "wait_total_ms": round(sum(r.get("rate_limit_wait_ms", 0.0) for r in every), 3),
            "compute_ms": round(sum(r.get("compute_ms", 0.0) for r in every), 3),
            "api_calls": sum(r.get("api_calls", 0) for r in every),
            "queries": sum(r.get("queries", 0) for r in every),
            "db_bytes": sum(r.get("db_bytes", 0) for r in every),
            "rate_limited": sum(r.get("rate_limited", 0) for r in every),
        })
        self.record["meters"] = tier_meters(every)
        if self.record["error"] == "over_latency" and every and every[-1].get("rate_limit_wait_ms", 0) > \
                (self.budget.get("latency_ms_p95") or math.inf):
            self.record["error"] = "rate_limited"
        self.record["failure"] = tier_failure(self.record, self.budget)


class Calibration:
    """A tier's calibration samples (units of the workload, CPU ms each) and the factor they give: their lower
    quartile so far (see calibration.py)."""

    def __init__(self, worker: CalibrationWorker):
        self.worker = worker
        self.samples = [worker.sample() for _ in range(calibration.START_SAMPLES)]

    @property
    def factor(self) -> float:
        return calibration.factor(calibration.unit_ms(self.samples))

    def sample(self) -> None:
        if len(self.samples) < calibration.MAX_SAMPLES:
            self.samples.append(self.worker.sample())

    def summary(self) -> dict:
        return {"factor": self.factor, "unit_ms": round(calibration.unit_ms(self.samples), 3),
                "samples": len(self.samples), "min_ms": round(min(self.samples), 3),
                "max_ms": round(max(self.samples), 3)}


def run_job(job: dict) -> dict:
    spec = get_task(job["task"])
    names = job.get("tiers") or spec.tier_names
    seed = int(job.get("seed", 0))
    if os.environ.get(CGROUP_ENV):
        warm_imports(modules_to_warm(job["code"]), python_path_for_solution())
    scratch_root = Path(os.environ.get("SCALEBLIND_SCRATCH") or tempfile.gettempdir())
    scratch_root = Path(tempfile.mkdtemp(prefix="sb-", dir=scratch_root))
    os.chmod(scratch_root, 0o711)
    tiers, calibrations = [], {}
    worker = CalibrationWorker()
    try:
        for name in names:
            tier = spec.tier(name)
            prepared = TierRun.prepare(spec, tier, seed)
            cal = Calibration(worker)  # right before the tier, then between its requests
            record = TierRun(spec, tier, seed, job["code"], cal.factor, scratch_root, prepared=prepared,
                             calibration=cal).run()
            calibrations[name] = cal.summary()
            record["calibration_factor"] = cal.factor
            tiers.append(record)
            if record["failure"] and job.get("stop_on_fail", True):
                break
    finally:
        worker.close()
        shutil.rmtree(scratch_root, ignore_errors=True)
    factors = [c["factor"] for c in calibrations.values()]
    return {"task": spec.id, "task_version": spec.version, "seed": seed,
            "calibration": {"factor": statistics.median(factors) if factors else None,
                            "reference_ms": calibration.REFERENCE_MS, "tiers": calibrations},
            "tiers": tiers}


def harness_message(exc: BaseException) -> str:
    """What a fault of ours says: the error, where in our code it happened, and that it is ours."""
    detail = str(exc).removesuffix(f" ({OURS})") if isinstance(exc, HarnessError) else f"{type(exc).__name__}: {exc}"
    frames = traceback.extract_tb((exc.__cause__ or exc).__traceback__)
    where = f" [at {Path(frames[-1].filename).name}:{frames[-1].lineno} in {frames[-1].name}]" if frames else ""
    return str(HarnessError(detail + where))


def main() -> None:
    try:
        result = run_job(json.loads(sys.stdin.read()))
    except Exception as exc:  # every exception here is ours: the solution's are mapped to verdicts before this
        result = {"harness_error": harness_message(exc)}
    sys.stdout.write(json.dumps(result) + "\n")


if __name__ == "__main__":
    main()
