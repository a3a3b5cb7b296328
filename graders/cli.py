"""nablagrade: grade files, list the bank, store the references, prove the bank sound."""

from __future__ import annotations

import argparse
import difflib
import json
import os
import shutil
import signal
import sys
import textwrap
import threading
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from graders import __version__
from graders.submission import SubmissionError, read_submission

if TYPE_CHECKING:
    from collections.abc import Iterable

    from graders.assignment import Assignment
    from graders.runner import Runner

EXIT_FULL, EXIT_SHORT, EXIT_USAGE = 0, 1, 2
EXIT_INTERRUPTED, EXIT_BROKEN_PIPE = 130, 141  # what a shell reports for SIGINT and SIGPIPE


class UsageError(Exception):
    pass


class SandboxAhead:
    """The sandbox, started in a thread of its own while this process imports the engine and
    reads the files. Starting it (bubblewrap, the warm parent importing numpy, the self-check)
    takes about as long as those imports, and most of it runs in other processes, on the other
    core: a cold `nablagrade check` no longer waits for one and then the other.

    The thread outlives the start on purpose: bubblewrap's --die-with-parent is tied to the
    thread that started it, so the sandbox would be killed the moment that thread ended. It
    waits, as a daemon, until the process exits. A batch with nothing to grade leaves the
    sandbox unused; it ends with the process.

    The caller waits for the thread's own imports (about 15 ms) before it starts on the
    engine's: imported side by side, the two threads queue for the interpreter lock and the
    sandbox launches later. Waiting made 3 × 15 interleaved cold checks 4 % faster (medians)."""

    def __init__(self) -> None:
        self._ready = threading.Event()
        self._imported = threading.Event()
        self._runner: Runner | None = None
        self._error: BaseException | None = None
        threading.Thread(target=self._start, name="sandbox-start", daemon=True).start()
        self._imported.wait()

    def _start(self) -> None:
        try:
            try:
                from graders.sandbox import sandbox_runner
            finally:
                self._imported.set()
            self._runner = sandbox_runner()
        except BaseException as exc:  # noqa: BLE001 - handed to the thread that asks for the runner
            self._error = exc
        finally:
            self._ready.set()
        threading.Event().wait()  # hold the sandbox's parent thread until the process exits

    def runner(self) -> Runner:
        self._ready.wait()
        if self._error is not None:
            raise self._error
        assert self._runner is not None
        return self._runner


def select_runner(no_sandbox: bool, ahead: SandboxAhead | None = None) -> Runner:
    """The sandbox unless explicitly refused; refusing prints a warning."""
    if no_sandbox:
        print("warning: --no-sandbox runs the submission WITHOUT isolation; only for code you trust",
              file=sys.stderr)
        from graders.runner import SubprocessRunner

        return SubprocessRunner()
    from graders.sandbox import SandboxUnavailable, sandbox_runner

    try:
        return ahead.runner() if ahead is not None else sandbox_runner()
    except SandboxUnavailable as exc:
        raise UsageError(f"cannot start the sandbox: {exc} (use --no-sandbox to run trusted code without it)") from None


def _submissions(paths: list[str]) -> tuple[list[Path], dict[Path, str], list[Path]]:
    """The files to grade, in the order given, each once however it is spelt; a folder
    stands for every .py file under it (an LMS export has a folder per student). Also
    the folders that could not be read, with why, and the other files the folders hold,
    so that neither goes unsaid."""
    files: list[Path] = []
    unreadable: dict[Path, str] = {}
    others: list[Path] = []
    for name in paths:
        path = Path(name)
        if not path.is_dir():
            files.append(path)
            continue
        found = _walk(path, unreadable, others)
        files.extend(found or [path])  # an empty folder is reported, not skipped silently
    unique: dict[Path, Path] = {}
    for path in files:
        unique.setdefault(_identity(path), path)
    return list(unique.values()), unreadable, sorted(others)


def _walk(root: Path, unreadable: dict[Path, str], others: list[Path]) -> list[Path]:
    """The .py files under `root`, sorted, skipping hidden folders and never following a
    link to a folder (an export may hold a loop of them). A folder that cannot be read
    stands in the list for itself, its reason in `unreadable`; other files go to `others`."""
    found: list[Path] = []

    def refused(error: OSError) -> None:
        where = Path(error.filename) if error.filename else root
        unreadable[where] = f"{where}: cannot read this folder ({error.strerror})"
        found.append(where)

    for folder, subfolders, names in os.walk(root, onerror=refused):
        subfolders[:] = [d for d in subfolders if not d.startswith(".") and d != "__pycache__"]
        for file in names:
            if not file.startswith("."):
                # HW1.PY from a Windows machine is Python too.
                (found if file.lower().endswith(".py") else others).append(Path(folder) / file)
    return sorted(found)


def _identity(path: Path) -> Path:
    """One key for `a.py`, `./a.py` and `/home/ta/a.py`."""
    try:
        return path.resolve()
    except (OSError, RuntimeError):  # a loop of links
        return path


def report_width() -> int:
    """The terminal's width (or $COLUMNS), at most the report's own; 96 into a pipe."""
    from graders.report import WIDTH

    return min(shutil.get_terminal_size((WIDTH, 24)).columns, WIDTH)


def shown(path: Path) -> str:
    """A path as text that prints anywhere: an export's file names may not be UTF-8."""
    return os.fsencode(path).decode("utf-8", "replace")


def _assignment_for(args: argparse.Namespace, source: str, path: Path, fixed: Assignment | None) -> Assignment:
    from graders.assignment import ad_hoc
    from graders.engine import detect_problems, inspect_source
    from graders.problem import all_problems

    if fixed is not None:
        return fixed
    problems = detect_problems(source, all_problems())
    if problems:
        return ad_hoc(problems)
    report = inspect_source(source)
    if report.empty is not None:
        raise SubmissionError(f"{path}: {report.empty.message}")
    functions = sorted(p.function for p in all_problems())
    defined = report.uses.defined if report.uses else ()
    raise SubmissionError(f"{path} defines none of the bank's functions ({', '.join(functions)})"
                          f"{_near_misses(defined, functions)}; use --problem or --assignment to grade it anyway")


def _near_misses(defined: Iterable[str], functions: list[str]) -> str:
    """'; sigmoid_gradient looks like sigmoid_grad': a misspelt name is the likeliest
    reason a file defines none of the bank's functions."""
    pairs = [(name, match[0]) for name in sorted(defined)
             if (match := difflib.get_close_matches(name, functions, n=1, cutoff=0.75))]
    return "".join(f"; {name} looks like {function}" for name, function in pairs[:3])


def _fixed_assignment(args: argparse.Namespace) -> Assignment | None:
    """The assignment every file is graded against, when the flags name one."""
    from graders.assignment import AssignmentError, ad_hoc
    from graders.catalogue import Catalogue
    from graders.problem import get_problem

    if args.assignment and args.problem:
        raise UsageError("use --assignment or --problem, not both")
    if args.assignment:
        try:
            return Catalogue().resolve(args.assignment).spec
        except AssignmentError as exc:
            raise UsageError(str(exc)) from None
    if args.problem:
        try:
            return ad_hoc([get_problem(pid) for pid in dict.fromkeys(args.problem)])
        except KeyError as exc:
            raise UsageError(exc.args[0]) from None
    return None


def _check(args: argparse.Namespace) -> int:
    """Grade each file in turn through one sandbox runner, as a worker does. A file
    that cannot be graded gets its line and the batch goes on."""
    # First: the sandbox starts while the engine imports.
    ahead = None if args.no_sandbox else SandboxAhead()
    from graders.engine import grade_source
    from graders.report import printable, render, summary

    fixed = _fixed_assignment(args)
    files, unreadable, others = _submissions(args.files)
    if others:
        listed = printable(", ".join(shown(path) for path in others[:5]) + (", ..." if len(others) > 5 else ""))
        print(f"nablagrade: skipped {len(others)} file{'s' if len(others) > 1 else ''} that "
              f"{'are' if len(others) > 1 else 'is'} not .py: {listed}", file=sys.stderr, flush=True)
    width = report_width()
    runner: Runner | None = None
    rows: list[tuple[str, dict | None, str]] = []
    for number, path in enumerate(files):
        document, error = None, ""
        try:
            if path in unreadable:
                raise SubmissionError(unreadable[path])
            if path.is_dir():
                raise SubmissionError(f"{path} is a folder with no .py file in it")
            source = read_submission(path)
            assignment = _assignment_for(args, source, path, fixed)
        except SubmissionError as exc:
            error = str(exc)
        else:
            runner = runner or select_runner(args.no_sandbox, ahead)
            try:
                document = grade_source(source, assignment, runner=runner, seed=args.seed)
            except Exception as exc:  # noqa: BLE001 - the grader's own failure on one file must not stop the batch
                error = f"{path}: the grader failed on this file ({type(exc).__name__}: {str(exc)[:300]}); please report it"
        name = shown(path)
        error = error.replace(str(path), name)
        rows.append((name, document, error))
        if document is None:
            print(f"nablagrade: {printable(error)}", file=sys.stderr, flush=True)
        if args.json:
            print(json.dumps({"path": name, **(document or {"error": error})}), flush=True)
        elif document is not None:
            print(("\n" if number else "") + render(document, name, width), flush=True)
    if not args.json and len(rows) > 1:
        print("\n" + summary(rows, width), flush=True)
    if any(document is None for _, document, _ in rows):
        return EXIT_USAGE
    return EXIT_FULL if all(document["passed"] for _, document, _ in rows) else EXIT_SHORT


def _problems(args: argparse.Namespace) -> int:
    from graders.problem import all_problems

    problems = sorted(all_problems(), key=lambda p: p.id)
    if args.json:
        print(json.dumps([{"id": p.id, "title": p.title, "signature": p.signature, "statement": p.statement.strip()}
                          for p in problems], indent=2))
        return EXIT_FULL
    width = max(len(p.id) for p in problems)
    signature = max(len(p.signature) for p in problems)
    rows = [f"{problem.id:<{width}}  {problem.signature:<{signature}}  {problem.title}" for problem in problems]
    if max(len(row) for row in rows) > shutil.get_terminal_size((200, 24)).columns:
        # A narrow terminal: the title on the id's line, the signature under it.
        rows = [f"{problem.id}: {problem.title}\n    {problem.signature}" for problem in problems]
    print("\n".join(rows))
    return EXIT_FULL


def _selftest(args: argparse.Namespace) -> int:
    from graders.problem import get_problem
    from graders.selftest import run_selftest

    try:
        for problem_id in args.problem or []:
            get_problem(problem_id)
    except KeyError as exc:
        raise UsageError(exc.args[0]) from None
    return run_selftest(select_runner(args.no_sandbox), only=args.problem, verbose=args.verbose)


def _warm(args: argparse.Namespace) -> int:
    from graders import reference_store
    from graders.assignment import AssignmentError, ad_hoc
    from graders.catalogue import Catalogue
    from graders.preparation import warm
    from graders.problem import all_problems

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


CHECK_EXIT = """exit status:
  0    every file got full marks
  1    a file fell short of full marks
  2    a usage error, or a file that could not be graded at all
  130  interrupted (Ctrl-C)"""

SELFTEST_EXIT = """exit status:
  0    the bank is sound
  1    a solution fell short or a wrong variant passed
  2    a usage error (an unknown problem, no sandbox)
  130  interrupted (Ctrl-C)"""

CHECK_EXAMPLES = """examples:
  nablagrade check hw1.py
      the bank problems whose functions hw1.py defines
  nablagrade check hw1.py --problem softmax
      one problem, even if the file lacks its function
  nablagrade check export/ --assignment hw1
      every .py file under export/, then a summary table
  nablagrade check export/ --json > results.jsonl
      one result document per line, each with its file's path"""


def _seed(text: str) -> int:
    """A seed numpy accepts: a whole number, 0 or more (-1 failed deep in the grader)."""
    try:
        seed = int(text)
    except ValueError:
        seed = -1
    if seed < 0:
        raise argparse.ArgumentTypeError(f"{text!r} is not a seed: give a whole number, 0 or more")
    return seed


def _command(commands: argparse._SubParsersAction, name: str, summary: str, description: str,
             epilog: str) -> argparse.ArgumentParser:
    # The epilogs are laid out by hand; the description is wrapped here, to the terminal.
    width = min(shutil.get_terminal_size().columns, 80) - 2
    return commands.add_parser(name, help=summary, description=textwrap.fill(description, width), epilog=epilog,
                               formatter_class=argparse.RawDescriptionHelpFormatter)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="nablagrade", description=__doc__.strip(), epilog="exit status of check: 0 full marks, 1 short of them, 2 not graded or a usage error, "
        "130 interrupted. `nablagrade COMMAND --help` says more of each command.")
    parser.add_argument("--version", action="version", version=f"nablagrade {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    check = _command(commands, "check", "grade Python files of gradient functions (files or folders)",
                     "Grade each file in turn, in the sandbox: a report per file, and a summary table when "
                     "there are several. A folder stands for every .py file under it.",
                     CHECK_EXAMPLES + "\n\n" + CHECK_EXIT)
    check.add_argument("files", nargs="+", metavar="FILE", help="a .py file, or a folder of them (repeatable)")
    check.add_argument("--problem", action="append", metavar="ID",
                       help="grade this bank problem (repeatable; `nablagrade problems` lists them)")
    check.add_argument("--assignment", metavar="NAME", help="grade against an assignment (hw1, hw2 or a .toml path)")
    check.add_argument("--json", action="store_true",
                       help="print one result document per file, one per line (JSON Lines), with its path")
    check.add_argument("--seed", type=_seed, help="seed for the random trials, 0 or more (default: the assignment's)")
    check.add_argument("--no-sandbox", action="store_true", help="run WITHOUT isolation (trusted code only)")
    check.set_defaults(handler=_check)

    problems = _command(commands, "problems", "list the problem bank",
                        "List the bank's problems: id, the function a file defines, title.", "exit status: 0")
    problems.add_argument("--json", action="store_true", help="print them as JSON, with their statements")
    problems.set_defaults(handler=_problems)

    warm = _command(commands, "warm", "compute and store the references every grading reads",
                    "Compute, validate by finite differences and store the references of the visible trials "
                    "and of every hidden trial set, so that grading does not compute them.",
                    "exit status:\n  0    stored\n  2    an unknown assignment\n  130  interrupted (what is stored is kept)")
    warm.add_argument("--assignment", action="append", metavar="NAME",
                      help="only this assignment (repeatable; default: every assignment and every bank problem)")
    warm.add_argument("--verbose", "-v", action="store_true", help="also list the settings already stored")
    warm.set_defaults(handler=_warm)

    selftest = _command(commands, "selftest", "prove the bank sound: solutions pass, wrong variants fail",
                        "Grade every problem's reference solution (it must get full marks) and its wrong "
                        "variants (each must fail, with its diagnosis) on every hidden trial set.", SELFTEST_EXIT)
    selftest.add_argument("--problem", action="append", metavar="ID", help="only this problem (repeatable)")
    selftest.add_argument("--verbose", "-v", action="store_true", help="also list each variant and its verdict")
    selftest.add_argument("--no-sandbox", action="store_true", help="run WITHOUT isolation")
    selftest.set_defaults(handler=_selftest)
    return parser


def main(argv: list[str] | None = None) -> int:
    # Everything inside the try, argument parsing and the engine's imports included: a
    # Ctrl-C or a closed pipe at any point ends with a line, never a traceback.
    try:
        try:
            args = build_parser().parse_args(argv)
        except SystemExit:
            sys.stdout.flush()  # --version and --help: a closed pipe fails here, not at exit
            raise
        code = args.handler(args)
        sys.stdout.flush()  # here, where a closed pipe is caught, not at exit
        return code
    except (UsageError, SubmissionError) as exc:
        print(f"nablagrade: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        # Ctrl-C: a line, not a traceback; a second one during the clean-up changes nothing.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        print("\nnablagrade: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # The reader went away (`nablagrade problems --json | head`): stop quietly. Output
        # still buffered would fail again at exit, so it goes nowhere.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_BROKEN_PIPE


def run() -> NoReturn:
    """The `nablagrade` command: main(), then the sandbox torn down and a quick exit. What
    the interpreter would do after that, finalizing every module numpy and the engine
    loaded, took about 25 ms of a 0.3 s check, and none of it matters once the output is
    flushed. (main() itself returns, for the tests that call it.)"""
    try:
        code = main()
    except SystemExit as exc:  # --help, --version, a usage error from argparse
        code = exc.code if isinstance(exc.code, int) else 0 if exc.code is None else EXIT_USAGE
        if isinstance(exc.code, str):
            print(exc.code, file=sys.stderr)
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a reader gone away (main has said so) or a closed stream
            pass
    if "graders.sandbox.pool" in sys.modules:
        try:
            sys.modules["graders.sandbox.pool"].close_process_runner()
        except KeyboardInterrupt:
            code = EXIT_INTERRUPTED
    os._exit(code)


if __name__ == "__main__":
    run()
