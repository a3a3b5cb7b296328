"""`nablagrade` as a user runs it: exit codes, JSON keys, one-line errors."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

GOOD = """import numpy as np

def sigmoid_grad(x):
    s = 0.5 * (1 + np.tanh(0.5 * x))
    return s * (1 - s)
"""


def nablagrade(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "graders.cli", *args], capture_output=True, text=True, timeout=300)


@pytest.fixture
def good_file(tmp_path: Path) -> Path:
    path = tmp_path / "good.py"
    path.write_text(GOOD)
    return path


def test_full_marks_exit_zero_and_the_json_document_has_the_documented_keys(good_file):
    done = nablagrade("check", str(good_file), "--json", "--no-sandbox")
    assert done.returncode == 0, done.stderr
    document = json.loads(done.stdout)
    assert {"score", "max_score", "problems"} <= set(document)
    (problem,) = document["problems"]  # auto-detected: the file defines only sigmoid_grad
    assert problem["id"] == "sigmoid"
    assert {"id", "score", "max_score", "checks"} <= set(problem)
    assert all({"name", "passed", "diagnosis"} <= set(check) for check in problem["checks"])
    assert document["score"] == document["max_score"]


def test_anything_short_exits_one_and_the_report_names_the_failed_check(tmp_path):
    path = tmp_path / "wrong.py"
    path.write_text(GOOD.replace("return s * (1 - s)", "return -s * (1 - s)"))
    done = nablagrade("check", str(path), "--no-sandbox")
    assert done.returncode == 1
    assert "FAIL  values: trial 1 (visible) [sign_flipped]" in done.stdout
    assert "sign flipped" in done.stdout


def test_problem_flag_grades_a_function_the_file_lacks(good_file):
    done = nablagrade("check", str(good_file), "--problem", "softmax", "--json", "--no-sandbox")
    assert done.returncode == 1
    assert json.loads(done.stdout)["problems"][0]["diagnosis"] == "missing_function"


@pytest.mark.parametrize(
    ("make", "needle"),
    [
        (lambda p: p, "no such file"),
        (lambda p: (p.mkdir(), p)[1], "is a directory"),
        (lambda p: (p.write_bytes(b"\x7fELF\x00\x01binary"), p)[1], "binary"),
        (lambda p: (p.write_bytes("def f():\n    return 'caf\u00e9'\n".encode("latin-1")), p)[1], "not UTF-8"),
        (lambda p: (p.write_text("#" * (300 * 1024)), p)[1], "limit is 256 KiB"),
        (lambda p: (p.write_text("x = 1\n"), p)[1], "defines none of the bank's functions"),
    ],
    ids=["missing", "directory", "binary", "latin-1", "too-large", "no-functions"],
)
def test_bad_input_gets_one_clear_line_and_exit_two(tmp_path, make, needle):
    path = make(tmp_path / "sub.py")
    done = nablagrade("check", str(path), "--no-sandbox")
    assert done.returncode == 2
    assert needle in done.stderr
    assert "Traceback" not in done.stderr and done.stderr.count("\n") <= 2


def test_usage_errors_exit_two(good_file):
    assert nablagrade("check", str(good_file), "--problem", "nope", "--no-sandbox").returncode == 2
    assert nablagrade("check", str(good_file), "--assignment", "nope", "--no-sandbox").returncode == 2
    assert nablagrade("frobnicate").returncode == 2


def test_problems_lists_every_bank_problem_with_its_signature():
    from graders.problem import all_problems

    done = nablagrade("problems")
    assert done.returncode == 0
    for problem in all_problems():
        assert problem.signature in done.stdout


def test_a_syntax_error_is_a_syntax_error_without_any_flag(tmp_path):
    path = tmp_path / "broken.py"
    path.write_text("import numpy as np\n\ndef sigmoid_grad(x)\n    return x\n")
    done = nablagrade("check", str(path), "--json", "--no-sandbox")
    assert done.returncode == 1, done.stderr
    (problem,) = json.loads(done.stdout)["problems"]
    assert (problem["id"], problem["diagnosis"]) == ("sigmoid", "syntax_error")
    assert "line 3" in problem["checks"][0]["message"]


def test_an_empty_file_is_reported_as_empty_without_any_flag(tmp_path):
    path = tmp_path / "empty.py"
    path.write_text("\n")
    done = nablagrade("check", str(path), "--no-sandbox")
    assert done.returncode == 2
    assert "is empty" in done.stderr and "defines none" not in done.stderr
