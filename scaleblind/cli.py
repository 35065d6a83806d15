"""The `scaleblind` command line. Each subcommand is a small function in COMMANDS; errors are one line."""
import argparse
import json
import sys
import time
from pathlib import Path
from typing import Callable

EXIT_ERROR = 2


class UserError(Exception):
    """Bad input from the user: printed as one line, exit code 2."""


def _spec(task_id: str):
    from scaleblind.tasks.registry import UnknownTask, get_task
    try:
        return get_task(task_id)
    except UnknownTask as exc:
        raise UserError(str(exc)) from None


def _sandbox(name: str | None) -> str:
    from scaleblind.sandbox.registry import default_sandbox
    chosen = name or default_sandbox()
    if chosen == "local":
        from scaleblind.sandbox.local import WARNING
        print(WARNING, file=sys.stderr)
    return chosen


def _specs_in_split(split: str | None) -> list:
    from scaleblind.tasks.registry import UnknownSplit, tasks_in_split
    try:
        return tasks_in_split(split)
    except UnknownSplit as exc:
        raise UserError(str(exc)) from None


def cmd_tasks_list(args: argparse.Namespace) -> int:
    rows = [{"id": s.id, "family": s.family, "split": s.split, "version": s.version, "title": s.title, "tiers":
             {t.name: t.size for t in s.tiers}, "bottleneck": s.bottleneck} for s in _specs_in_split(args.split)]
    if args.json:
        print(json.dumps(rows, indent=2))
        return 0
    for row in rows:
        tiers = ", ".join(f"{k}={v:,}" for k, v in row["tiers"].items())
        print(f"{row['id']:<34} {row['family']:<12} {row['split']:<5} {tiers}")
    splits = ", ".join(f"{sum(r['split'] == s for r in rows)} {s}" for s in sorted({r["split"] for r in rows}))
    print(f"{len(rows)} tasks in {len({r['family'] for r in rows})} families" + (f" ({splits})" if rows else ""))
    return 0


def cmd_tasks_validate(args: argparse.Namespace) -> int:
    from scaleblind.graders.validate import validate
    specs = [_spec(args.task)] if args.task else _specs_in_split(args.split)
    sandbox = _sandbox(args.sandbox)
    started = time.monotonic()

    def show(result: dict) -> None:
        if not args.json:
            naive = result["naive"]
            status = "ok  " if result["ok"] else "FAIL"
            print(f"{status} {result['id']:<34} reference: {_short(result['reference'])}; "
                  f"naive: {_short(naive)}", flush=True)
            for problem in result["problems"]:
                print(f"     - {problem}")

    results = validate(specs, sandbox, seed=args.seed, progress=show)
    ok = all(r["ok"] for r in results)
    if args.json:
        print(json.dumps({"ok": ok, "sandbox": sandbox, "tasks": results}, indent=2))
    else:
        print(f"{sum(r['ok'] for r in results)}/{len(results)} tasks discriminate "
              f"({time.monotonic() - started:.0f} s, sandbox {sandbox})")
    return 0 if ok else 1


def _short(verdict: dict) -> str:
    score = verdict.get("efficiency")
    efficiency = "" if score is None else f", efficiency {score:.2f}"
    if verdict["scale_correct"]:
        return "scale-correct" + efficiency
    demo = "correct at demo" if verdict["correct_at_demo"] else "wrong at demo"
    return f"{demo}, {verdict['failure']} at {verdict['failure_tier']}{efficiency}"


def cmd_grade(args: argparse.Namespace) -> int:
    from scaleblind.graders.explain import format_verdict
    from scaleblind.graders.grade import fresh_seed, grade_file
    spec = _spec(args.task)
    path = Path(args.solution)
    if not path.is_file():
        raise UserError(f"no such solution file: {path}")
    tiers = args.tiers.split(",") if args.tiers else None
    for name in tiers or []:
        if name not in spec.tier_names:
            raise UserError(f"task {spec.id} has no tier {name!r}; tiers: {', '.join(spec.tier_names)}")
    seed = fresh_seed() if args.seed is None else args.seed
    verdict = grade_file(spec, path, _sandbox(args.sandbox), seed=seed, tiers=tiers)
    verdict.pop("code", None)
    if args.json:
        print(json.dumps(verdict, indent=2))
    else:
        print(format_verdict(verdict))
        print(f"seed {seed} (regrade these worlds with --seed {seed})")
    return 0


def cmd_prompts_list(args: argparse.Namespace) -> int:
    from scaleblind.prompts.render import variants
    for variant in variants().values():
        flags = ", ".join(k for k, v in variant.ingredients.items() if v) or "-"
        print(f"{variant.name:<26} {flags:<46} {variant.description}")
    return 0


def cmd_prompts_show(args: argparse.Namespace) -> int:
    from scaleblind.prompts.render import UnknownVariant, render
    spec = _spec(args.task)
    try:
        turns = render(spec, args.variant)
    except UnknownVariant as exc:
        raise UserError(str(exc)) from None
    for number, text in enumerate(turns, 1):
        if len(turns) > 1:
            print(f"--- user turn {number} of {len(turns)} ---")
        print(text + "\n")
    return 0


def cmd_run(args: argparse.Namespace) -> int:
    from scaleblind.prompts.render import UnknownVariant, parse_variant_spec
    from scaleblind.run import OFFLINE_MODELS, RunError, RunOptions, default_log_dir, format_summary, run, summary_rows
    tasks = [_spec(t).id for t in args.tasks.split(",")] if args.tasks else None
    if args.split and not _specs_in_split(args.split):
        raise UserError(f"split {args.split!r} has no tasks yet")
    variants = args.variants.split(",")
    try:
        for variant in variants:
            parse_variant_spec(variant)
    except (ValueError, UnknownVariant) as exc:
        raise UserError(str(exc)) from None
    if args.epochs < 1:
        raise UserError("--epochs must be at least 1")
    options = RunOptions(models=args.model or list(OFFLINE_MODELS), tasks=tasks, variants=variants,
                         epochs=args.epochs, sandbox=_sandbox(args.sandbox), log_dir=Path(args.log_dir or default_log_dir()),
                         seed=args.seed, tiers=args.tiers.split(",") if args.tiers else None, display=args.display,
                         split=args.split)
    try:
        finished, logs = run(options)
    except RunError as exc:
        raise UserError(str(exc)) from None
    print(format_summary(summary_rows(logs)))
    print(f"logs: {options.log_dir}/  (run the same command again to resume unfinished samples)")
    print(f"next: `scaleblind report {options.log_dir}` for the claims, `scaleblind leaderboard {options.log_dir}` "
          f"for the leaderboard page; `inspect view --log-dir {options.log_dir}` to read each answer and verdict")
    return 0 if finished else 1


def cmd_answers_export(args: argparse.Namespace) -> int:
    from scaleblind.models.answers import AnswersError, export, path_warnings
    out = Path(args.out)
    tasks = [_spec(t).id for t in args.tasks.split(",")] if args.tasks else None
    try:
        manifest = export(out, tasks, args.variants.split(","), args.epochs, args.per_set, args.seed)
    except (AnswersError, OSError) as exc:
        raise UserError(str(exc)) from None
    for warning in path_warnings(out):
        print(f"warning: {warning}", file=sys.stderr)
    print(f"{len(manifest['prompts'])} prompts in {len(manifest['sets'])} sets under {out}/ "
          f"(how to collect: {out / 'README.md'})")
    print(f"next: give each set-NN/ folder (only that folder) to its own answerer with {out}/briefs/set-NN.md, "
          f"then `scaleblind answers import {out} --model LABEL --out REPLAY_DIR`")
    return 0


def cmd_answers_import(args: argparse.Namespace) -> int:
    from scaleblind.models.answers import AnswersError, collect, write_replay
    folder, out = Path(args.folder), Path(args.out)
    try:
        imported = collect(folder, args.model)
        write_replay(out, args.model, imported.records, folder)
    except (AnswersError, OSError) as exc:
        raise UserError(str(exc)) from None
    for line in imported.missing + imported.unexpected:
        print(line, file=sys.stderr)
    missing = f", {len(imported.missing)} missing" if imported.missing else ""
    print(f"{len(imported.records)} answers imported into {out}/ as model replay/{args.model}{missing}")
    print(f"next: scaleblind run --model replay/{out} {imported.run_options}")
    return 0


def _results_command(main: Callable, args: argparse.Namespace) -> int:
    from scaleblind.run import default_log_dir, runs_dir
    logs = [Path(p) for p in args.logs] or [default_log_dir()]
    try:
        return main(logs, Path(args.out or runs_dir()), args.allow_mixed)
    except ValueError as exc:
        raise UserError(str(exc)) from None


def cmd_report(args: argparse.Namespace) -> int:
    from scaleblind.results.report import report_main
    return _results_command(report_main, args)


def cmd_leaderboard(args: argparse.Namespace) -> int:
    from scaleblind.results.leaderboard import leaderboard_main
    return _results_command(leaderboard_main, args)


def build_parser() -> tuple[argparse.ArgumentParser, dict[str, Callable]]:
    parser = argparse.ArgumentParser(prog="scaleblind", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    handlers: dict[str, Callable] = {}

    tasks = sub.add_parser("tasks", help="list and validate tasks").add_subparsers(dest="tasks_command",
                                                                                   required=True)
    p = tasks.add_parser("list", help="the tasks, their families, splits and tiers")
    p.add_argument("--split", help="only the tasks of this split (core, hard, candidate, all); default: core and hard")
    p.add_argument("--json", action="store_true")
    handlers["tasks list"] = cmd_tasks_list
    p = tasks.add_parser("validate", help="prove each task discriminates (reference passes, naive fails at scale)")
    which = p.add_mutually_exclusive_group()
    which.add_argument("--task")
    which.add_argument("--split", help="every task of this split (core, hard, candidate, all); default: core and hard")
    p.add_argument("--sandbox", choices=["docker", "local"])
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--json", action="store_true")
    handlers["tasks validate"] = cmd_tasks_validate

    p = sub.add_parser("grade", help="grade one solution file or model answer at every tier")
    p.add_argument("--task", required=True)
    p.add_argument("--solution", required=True, help="a .py module or a Markdown answer with code blocks")
    p.add_argument("--sandbox", choices=["docker", "local"])
    p.add_argument("--seed", type=int, help="the worlds' seed (default: a fresh one, printed; give it to regrade)")
    p.add_argument("--tiers", help="comma-separated tier names (default: all, smallest first)")
    p.add_argument("--json", action="store_true")
    handlers["grade"] = cmd_grade
    prompts = sub.add_parser("prompts", help="the prompt variants").add_subparsers(dest="prompts_command",
                                                                                   required=True)
    prompts.add_parser("list", help="every variant and its ingredients")
    handlers["prompts list"] = cmd_prompts_list
    p = prompts.add_parser("show", help="print a task rendered as one variant")
    p.add_argument("--task", required=True)
    p.add_argument("--variant", required=True)
    handlers["prompts show"] = cmd_prompts_show

    p = sub.add_parser("run", help="evaluate models (inspect eval set; re-running resumes)")
    p.add_argument("--model", action="append", help="inspect model name; repeatable (default: both "
                   "offline reference models)")
    which = p.add_mutually_exclusive_group()
    which.add_argument("--tasks", help="comma-separated task ids (default: all)")
    which.add_argument("--split", help="every task of this split (core, hard, candidate, all); default: core and hard")
    p.add_argument("--variants", default="vague,blueprint", help="comma-separated variants; NAME@t=T sets "
                   "the temperature (default: vague,blueprint)")
    p.add_argument("--epochs", type=int, default=1)
    p.add_argument("--sandbox", choices=["docker", "local"])
    p.add_argument("--log-dir", help="default: runs/logs ($SCALEBLIND_RUNS/logs)")
    p.add_argument("--seed", type=int, help="one seed for every sample (default: a fresh seed per sample, "
                   "recorded in its score)")
    p.add_argument("--tiers", help="comma-separated tier names (default: all)")
    p.add_argument("--display", choices=["full", "rich", "plain", "log", "none"], help="inspect's progress display")
    handlers["run"] = cmd_run
    answers = sub.add_parser("answers", help="prompts as files for models without an API (a chat UI, an agent, "
                             "a person), and their answers back as replay records").add_subparsers(
        dest="answers_command", required=True)
    p = answers.add_parser("export", help="write every prompt of a planned run as Markdown files, one set per "
                           "variant and epoch, with a manifest kept outside the sets")
    p.add_argument("--tasks", help="comma-separated task ids (default: all)")
    p.add_argument("--variants", default="vague,blueprint", help="comma-separated variants (default: vague,blueprint)")
    p.add_argument("--epochs", type=int, default=1, help="answers per prompt, each from its own answerer")
    p.add_argument("--per-set", type=int, help="at most this many requests per answerer (default: all tasks)")
    p.add_argument("--seed", type=int, default=0, help="seed of the request order within each set")
    p.add_argument("--out", required=True, help="a new folder")
    handlers["answers export"] = cmd_answers_export
    p = answers.add_parser("import", help="read the answers of an export into a replay folder")
    p.add_argument("folder", help="the folder `answers export --out` wrote, answers filled in")
    p.add_argument("--model", required=True, help="the label reports and leaderboards show, e.g. human/alice")
    p.add_argument("--out", required=True, help="the replay folder to write (run it as replay/<folder>)")
    handlers["answers import"] = cmd_answers_import

    for name, handler, text in (("report", cmd_report, "statistics and a verdict on each claim (Markdown + JSON)"),
                                ("leaderboard", cmd_leaderboard, "leaderboard files, HTML page with plots, "
                                 "Hugging Face dataset export")):
        p = sub.add_parser(name, help=text)
        p.add_argument("logs", nargs="*", help="inspect logs or folders of them (default: runs/logs)")
        p.add_argument("--out", help="output folder (default: runs, or $SCALEBLIND_RUNS)")
        p.add_argument("--allow-mixed", action="store_true", help="merge logs of different task-set versions")
        handlers[name] = handler

    sandbox = sub.add_parser("sandbox", help="the Docker sandbox image and host checks").add_subparsers(
        dest="sandbox_command", required=True)
    p = sandbox.add_parser("build", help="build the sandbox image offline (a no-op when inputs are unchanged)")
    p.add_argument("--force", action="store_true", help="rebuild even if the image is current")
    handlers["sandbox build"] = cmd_sandbox_build
    p = sandbox.add_parser("doctor", help="check engine, image and enforced limits; one line per problem")
    p.add_argument("--clean", action="store_true", help="remove containers left by crashed runs")
    handlers["sandbox doctor"] = cmd_sandbox_doctor
    return parser, handlers


def cmd_sandbox_build(args: argparse.Namespace) -> int:
    from scaleblind.sandbox.doctor import docker_available
    from scaleblind.sandbox.image import build_image
    if not docker_available():
        raise UserError("no Docker Engine answers: start it (`systemctl start docker`) or set DOCKER_HOST")
    try:
        result = build_image(force=args.force)
    except (RuntimeError, OSError) as exc:
        raise UserError(f"sandbox build failed: {exc}") from None
    for warning in result.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    print(result.message)
    return 0


def cmd_sandbox_doctor(args: argparse.Namespace) -> int:
    from scaleblind.sandbox.doctor import doctor
    checks = doctor(clean=args.clean)
    for check in checks:
        print(check.line())
    return 0 if all(c.ok for c in checks) else 1


def main(argv: list[str] | None = None) -> int:
    from scaleblind.graders.errors import HarnessError
    parser, handlers = build_parser()
    args = parser.parse_args(argv)
    key = " ".join(v for v in (args.command, getattr(args, f"{args.command}_command", None)) if v)
    try:
        return handlers[key](args)
    except UserError as exc:
        print(f"scaleblind: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except HarnessError as exc:  # a fault of ours (or the sandbox's): one line, not a traceback
        print(f"scaleblind: error: HarnessError: {' '.join(str(exc).split())}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("scaleblind: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # output piped into `head` and closed early: not an error worth a traceback
        import os
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


if __name__ == "__main__":
    sys.exit(main())
