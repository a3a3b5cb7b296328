"""Acceptance: student files kept apart from the problem authors' own tests,
graded as the service grades them.

Each file under corpus/<problem_id>/ starts with a header line
`# expect: ok` (full marks) or `# expect: <diagnosis code>` (less than full
marks, and that code as the problem's diagnosis, i.e. the first failing
check's). Optional headers:
- `# message: <words>`: words the first failing check's message must contain;
- `# flags: none`: graded as `nablagrade check FILE` without --problem, on the
  problems the engine detects in the file (the corpus folder's problem must be
  among them).
Files that cannot carry a header (an empty file) are listed in HEADERLESS.

Every selected file is graded once per session through ONE sandbox runner (the
worker's path: warm parents, a fresh child per job), a few threads at a time.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from graders.assignment import ad_hoc
from graders.diagnosis import Code
from graders.engine import detect_problems, grade_source
from graders.problem import all_problems, get_problem
from graders.runner import Runner
from graders.submission import read_submission

CORPUS = Path(__file__).parent / "corpus"
CLI = Path(sys.executable).parent / "nablagrade"
HEADER = re.compile(r"^# expect: ([a-z_]+)\s*$", re.MULTILINE)
MESSAGE = re.compile(r"^# message: (.+?)\s*$", re.MULTILINE)
NO_FLAGS = re.compile(r"^# flags: none\s*$", re.MULTILINE)
PARALLEL = 2  # jobs at once through the shared runner (one warm parent per kind and thread)
# The result document's size is bounded whatever the file holds: a message that quotes the
# file (a line, a name) is repeated in every check, so it must quote only a part of it.
MAX_DOCUMENT_BYTES = 256 * 1024
# The customer's path: the real sandbox. ACCEPTANCE_NO_SANDBOX=1 grades without it (for debugging).
NO_SANDBOX = os.environ.get("ACCEPTANCE_NO_SANDBOX") == "1"

# Files with no room for a header: (expected diagnosis, words of its message).
HEADERLESS: dict[str, tuple[str, str]] = {
    "sigmoid/empty_file.py": ("missing_function", "your file is empty"),
    "softmax/blank_lines_only.py": ("missing_function", "your file is empty"),
}

# Files on which the engine's verdict or diagnosis is wrong today, with what it
# says and what it should say. strict=True: once the engine is fixed the xfail
# fails, and the entry must go.
KNOWN_WRONG: dict[str, str] = {}


@dataclass(frozen=True)
class CorpusFile:
    problem: str
    path: Path
    expect: str  # "ok" or a diagnosis code
    message: str = ""
    detected: bool = False  # graded without --problem

    @property
    def key(self) -> str:
        return f"{self.problem}/{self.path.name}"


def read_corpus_file(path: Path) -> CorpusFile:
    key = f"{path.parent.name}/{path.name}"
    if key in HEADERLESS:
        expect, message = HEADERLESS[key]
        return CorpusFile(path.parent.name, path, expect, message)
    text = path.read_text(encoding="utf-8-sig")
    match = HEADER.search(text)
    if match is None:
        raise ValueError(f"{path} has no '# expect: ...' header")
    words = MESSAGE.search(text)
    return CorpusFile(path.parent.name, path, match.group(1), words.group(1) if words else "",
                      NO_FLAGS.search(text) is not None)


def corpus_files() -> list[CorpusFile]:
    return [read_corpus_file(path) for path in sorted(CORPUS.glob("*/*.py"))]


def grade_file(item: CorpusFile, runner: Runner) -> dict[str, Any]:
    source = read_submission(item.path)
    problems = detect_problems(source, all_problems()) if item.detected else [get_problem(item.problem)]
    document = grade_source(source, ad_hoc(problems), runner=runner)
    json.dumps(document, allow_nan=False)  # what the CLI prints: strict JSON
    return document


def _param(item: CorpusFile) -> Any:
    marks = [pytest.mark.xfail(strict=True, reason=KNOWN_WRONG[item.key])] if item.key in KNOWN_WRONG else []
    return pytest.param(item, id=item.key, marks=marks)


FILES = corpus_files()


@pytest.fixture(scope="session")
def corpus_results(request: pytest.FixtureRequest) -> dict[str, dict[str, Any] | BaseException]:
    """Grade every corpus file this session selected, through one runner."""
    selected = [item.callspec.params["item"] for item in request.session.items
                if hasattr(item, "callspec") and isinstance(item.callspec.params.get("item"), CorpusFile)]
    unique = {item.key: item for item in selected}
    if NO_SANDBOX:
        from graders.runner import SubprocessRunner

        runner: Runner = SubprocessRunner()
        close = None
    else:
        from graders.sandbox import SandboxRunner

        sandbox = SandboxRunner(parents=PARALLEL)
        sandbox.self_check()
        runner, close = sandbox, sandbox.close

    def attempt(item: CorpusFile) -> dict[str, Any] | BaseException:
        try:
            return grade_file(item, runner)
        except Exception as exc:  # noqa: BLE001 - reported by the file's own test
            return exc

    try:
        with ThreadPoolExecutor(max_workers=PARALLEL) as pool:
            return dict(zip(unique, pool.map(attempt, unique.values()), strict=True))
    finally:
        if close is not None:
            close()


def test_corpus_covers_every_problem_and_enough_styles() -> None:
    listing = subprocess.run([str(CLI), "problems", "--json"], capture_output=True, text=True, check=True)
    bank = {problem["id"] for problem in json.loads(listing.stdout)}
    by_problem: dict[str, list[CorpusFile]] = {}
    for item in FILES:
        by_problem.setdefault(item.problem, []).append(item)
    assert set(by_problem) == bank
    codes = {code.value for code in Code}
    assert {item.expect for item in FILES} <= codes | {"ok"}, "an '# expect:' header names no diagnosis code"
    assert set(HEADERLESS) <= {item.key for item in FILES}
    for problem, items in by_problem.items():
        correct = [item for item in items if item.expect == "ok"]
        assert len(correct) >= 2, f"{problem}: fewer than 2 correct files"
        assert len(items) - len(correct) >= 4, f"{problem}: fewer than 4 mistaken files"


@pytest.mark.parametrize("item", [_param(item) for item in FILES])
def test_verdict_and_diagnosis(item: CorpusFile, corpus_results: dict[str, dict[str, Any] | BaseException]) -> None:
    document = corpus_results[item.key]
    if isinstance(document, BaseException):
        raise document
    assert len(json.dumps(document, allow_nan=False)) <= MAX_DOCUMENT_BYTES
    ids = [problem["id"] for problem in document["problems"]]
    if item.detected:
        assert item.problem in ids
    else:
        assert ids == [item.problem]
    problem = next(problem for problem in document["problems"] if problem["id"] == item.problem)
    failing = [(check["name"], check["diagnosis"]) for check in problem["checks"] if not check["passed"]]
    if item.expect == "ok":
        assert (problem["score"], failing) == (problem["max_score"], [])
        assert document["score"] == document["max_score"]
    else:
        assert problem["score"] < problem["max_score"]
        assert problem["diagnosis"] == item.expect, f"failing checks: {failing}"
        first = next(check for check in problem["checks"] if not check["passed"])
        assert item.message in first["message"], first["message"]
