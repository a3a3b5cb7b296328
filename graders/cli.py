"""`nablagrade`: grade a file, list the bank, prove the bank sound.

Exit codes of `check`: 0 full marks, 1 anything fell short, 2 usage error or
a file that cannot be graded.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from graders import __version__
from graders.assignment import AssignmentError, ad_hoc
from graders.problem import all_problems, get_problem
from graders.runner import Runner
from graders.submission import SubmissionError, read_submission

EXIT_FULL, EXIT_SHORT, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    pass


def select_runner(no_sandbox: bool) -> Runner:
    """The sandbox unless explicitly refused; refusing prints a warning."""
    if no_sandbox:
        print("warning: --no-sandbox runs the submission WITHOUT isolation; only for code you trust",
              file=sys.stderr)
        from graders.runner import SubprocessRunner

        return SubprocessRunner()
    from graders.sandbox import SandboxUnavailable, sandbox_runner

    try:
        return sandbox_runner()
    except SandboxUnavailable as exc:
        raise UsageError(f"cannot start the sandbox: {exc} (use --no-sandbox to run trusted code without it)") from None


def _check(args: argparse.Namespace) -> int:
    from graders.catalogue import Catalogue
    from graders.engine import detect_problems, grade_source, inspect_source

    source = read_submission(Path(args.file))
    if args.assignment and args.problem:
        raise UsageError("use --assignment or --problem, not both")
    if args.assignment:
        try:
            assignment = Catalogue().resolve(args.assignment).spec
        except AssignmentError as exc:
            raise UsageError(str(exc)) from None
    else:
        if args.problem:
            try:
                problems = [get_problem(pid) for pid in dict.fromkeys(args.problem)]
            except KeyError as exc:
                raise UsageError(exc.args[0]) from None
        else:
            problems = detect_problems(source, all_problems())
            empty = inspect_source(source).empty
            if not problems and empty is not None:
                raise UsageError(f"{args.file}: {empty.message}")
            if not problems:
                names = ", ".join(sorted(p.function for p in all_problems()))
                raise UsageError(f"{args.file} defines none of the bank's functions ({names}); "
                                 "use --problem or --assignment to grade it anyway")
        assignment = ad_hoc(problems)
    runner = select_runner(args.no_sandbox)
    document = grade_source(source, assignment, runner=runner, seed=args.seed)
    if args.json:
        print(json.dumps(document, indent=2))
    else:
        from graders.report import render

        print(render(document, args.file))
    return EXIT_FULL if document["passed"] else EXIT_SHORT


def _problems(args: argparse.Namespace) -> int:
    problems = sorted(all_problems(), key=lambda p: p.id)
    if args.json:
        print(json.dumps([{"id": p.id, "title": p.title, "signature": p.signature, "statement": p.statement.strip()}
                          for p in problems], indent=2))
        return EXIT_FULL
    width = max(len(p.id) for p in problems)
    for problem in problems:
        print(f"{problem.id:<{width}}  {problem.signature:<58} {problem.title}")
    return EXIT_FULL


def _selftest(args: argparse.Namespace) -> int:
    from graders.selftest import run_selftest

    return run_selftest(select_runner(args.no_sandbox), only=args.problem, verbose=args.verbose)


def _warm(args: argparse.Namespace) -> int:
    from graders import reference_store
    from graders.catalogue import Catalogue
    from graders.preparation import warm

    catalogue = Catalogue()
    try:
        if args.assignment:
            specs = [catalogue.resolve(name).spec for name in args.assignment]
        else:
            # Every shared assignment and every course's own, then each bank problem as
            # `check --problem` grades it.
            paths = sorted(catalogue.root.glob("*.toml")) + sorted(catalogue.root.glob("*/*.toml"))
            specs = [catalogue.load_path(path).spec for path in paths]
            specs.append(ad_hoc(sorted(all_problems(), key=lambda p: p.id)))
    except AssignmentError as exc:
        raise UsageError(str(exc)) from None
    done: set[tuple[str, int, int, int]] = set()
    for spec in specs:
        for config in spec.problems:
            key = (config.problem.id, spec.seed, config.trials, spec.hidden_pool)
            if key in done:
                continue
            done.add(key)
            computed = warm(config.problem, spec.seed, config.trials, spec.hidden_pool)
            if args.verbose or computed:
                print(f"{config.problem.id}: seed {spec.seed}, {config.trials} trials, "
                      f"{spec.hidden_pool} hidden sets: {computed} computed", flush=True)
    print(f"references for {len(done)} problem settings are in {reference_store.cache_dir()}")
    return EXIT_FULL


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="nablagrade", description=__doc__.splitlines()[0])
    parser.add_argument("--version", action="version", version=f"nablagrade {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)

    check = commands.add_parser("check", help="grade a Python file of gradient functions")
    check.add_argument("file")
    check.add_argument("--problem", action="append", metavar="ID", help="grade this bank problem (repeatable)")
    check.add_argument("--assignment", metavar="NAME", help="grade against an assignment (hw1, hw2 or a .toml path)")
    check.add_argument("--json", action="store_true", help="print the result document as JSON")
    check.add_argument("--seed", type=int, help="seed for the random trials (default: the assignment's)")
    check.add_argument("--no-sandbox", action="store_true", help="run WITHOUT isolation (trusted code only)")
    check.set_defaults(handler=_check)

    problems = commands.add_parser("problems", help="list the problem bank")
    problems.add_argument("--json", action="store_true")
    problems.set_defaults(handler=_problems)

    warm = commands.add_parser("warm", help="compute and store the references every grading reads")
    warm.add_argument("--assignment", action="append", metavar="NAME",
                      help="only this assignment (repeatable; default: every assignment and every bank problem)")
    warm.add_argument("--verbose", "-v", action="store_true", help="also list the settings already stored")
    warm.set_defaults(handler=_warm)

    selftest = commands.add_parser("selftest", help="prove the bank sound: solutions pass, wrong variants fail")
    selftest.add_argument("--problem", action="append", metavar="ID")
    selftest.add_argument("--verbose", "-v", action="store_true")
    selftest.add_argument("--no-sandbox", action="store_true", help="run WITHOUT isolation")
    selftest.set_defaults(handler=_selftest)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.handler(args)
    except (UsageError, SubmissionError) as exc:
        print(f"nablagrade: {exc}", file=sys.stderr)
        return EXIT_USAGE


if __name__ == "__main__":
    sys.exit(main())
