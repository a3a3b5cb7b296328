"""`nablagrade` as a user runs it: exit codes, JSON keys, one-line errors."""

import json
import os
import signal
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
        (lambda p: (p.mkdir(), p)[1], "is a folder with no .py file in it"),
        (lambda p: (p.write_bytes(b"\x7fELF\x00\x01binary"), p)[1], "binary"),
        (lambda p: (p.write_bytes("def f():\n    return 'caf\u00e9'\n".encode("latin-1")), p)[1], "not UTF-8"),
        (lambda p: (p.write_text("#" * (300 * 1024)), p)[1], "limit is 256 KiB"),
        (lambda p: (p.write_text("x = 1\n"), p)[1], "defines none of the bank's functions"),
        # A codec that is no text encoding (Python says "encoding problem" and does not run it)
        (lambda p: (p.write_text("# coding: rot13\ndef sigmoid_grad(x):\n    return x\n"), p)[1], "'rot13'"),
        (lambda p: (p.write_text("# coding: punycode\ndef sigmoid_grad(x):\n    return x\n"), p)[1], "'punycode'"),
    ],
    ids=["missing", "directory", "binary", "latin-1", "too-large", "no-functions", "rot13", "punycode"],
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


BAD_FILES = {
    "binary.py": b"\x7fELF\x00\x01binary",
    "latin1.py": "def f():\n    return 'caf\u00e9'\n".encode("latin-1"),
    "empty.py": b"",
}


def _folder(tmp_path: Path) -> Path:
    folder = tmp_path / "export"
    (folder / "alice").mkdir(parents=True)
    (folder / "alice" / "answer.py").write_text(GOOD)
    (folder / "bob").mkdir()
    (folder / "bob" / "answer.py").write_text(GOOD.replace("return s * (1 - s)", "return -s * (1 - s)"))
    (folder / ".hidden").mkdir()
    (folder / ".hidden" / "skipped.py").write_text(GOOD)
    (folder / "notes.txt").write_text("not python")
    for name, data in BAD_FILES.items():
        (folder / name).write_bytes(data)
    return folder


def test_a_folder_is_graded_file_by_file_as_json_lines_and_bad_files_do_not_stop_it(tmp_path):
    folder = _folder(tmp_path)
    done = nablagrade("check", str(folder), "--json", "--no-sandbox")
    assert done.returncode == 2  # some files could not be graded
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    by_path = {Path(line["path"]).relative_to(folder).as_posix(): line for line in lines}
    assert sorted(by_path) == ["alice/answer.py", "binary.py", "bob/answer.py", "empty.py", "latin1.py"]
    assert by_path["alice/answer.py"]["passed"] is True
    assert by_path["bob/answer.py"]["passed"] is False
    assert by_path["bob/answer.py"]["problems"][0]["diagnosis"] == "sign_flipped"
    assert "binary" in by_path["binary.py"]["error"]
    assert "not UTF-8" in by_path["latin1.py"]["error"]
    assert "is empty" in by_path["empty.py"]["error"]
    assert "Traceback" not in done.stderr


def test_without_json_a_summary_table_follows_the_reports(tmp_path):
    folder = _folder(tmp_path)
    done = nablagrade("check", str(folder / "alice" / "answer.py"), str(folder / "bob" / "answer.py"),
                      str(folder / "binary.py"), "--no-sandbox")
    assert done.returncode == 2
    reports, table = done.stdout.split("Summary of 3 files")
    assert reports.count("Total: ") == 2
    rows = table.strip().splitlines()
    assert rows[1].endswith("full marks") and "alice" in rows[1]
    assert "bob" in rows[2] and "short on sigmoid" in rows[2]
    assert "binary.py" in rows[3] and "not graded" in rows[3] and "binary" in rows[3]
    assert rows[-1] == "1 with full marks, 1 short, 1 not graded"


def test_a_batch_of_good_files_exits_zero_and_one_short_file_makes_it_one(tmp_path):
    folder = _folder(tmp_path)
    good = str(folder / "alice" / "answer.py")
    assert nablagrade("check", good, good, "--no-sandbox").returncode == 0
    assert nablagrade("check", good, str(folder / "bob" / "answer.py"), "--no-sandbox").returncode == 1


def test_every_file_of_a_batch_goes_through_one_runner(tmp_path, monkeypatch, capsys):
    from graders import cli
    from graders.runner import SubprocessRunner

    started = []

    def one_runner(no_sandbox, ahead=None):
        started.append(SubprocessRunner())
        return started[-1]

    monkeypatch.setattr(cli, "select_runner", one_runner)
    folder = _folder(tmp_path)
    assert cli.main(["check", str(folder), "--json"]) == 2
    assert len(capsys.readouterr().out.splitlines()) == 5
    assert len(started) == 1


LOOPS_FOREVER = """
import time


def sigmoid_grad(x):
    while True:  # asleep, not busy: only the wall-clock backstop (seconds) would stop it
        time.sleep(0.1)
"""


def test_ctrl_c_ends_quietly(tmp_path):
    (tmp_path / "a_good.py").write_text(GOOD)
    (tmp_path / "b_loops.py").write_text(LOOPS_FOREVER)
    process = subprocess.Popen([sys.executable, "-m", "graders.cli", "check", str(tmp_path), "--no-sandbox"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    # The first report is out, so the second file is being graded (its call loops for seconds).
    for line in process.stdout:
        if line.startswith("Total: "):
            break
    assert process.poll() is None, "the batch ended before it could be interrupted"
    process.send_signal(signal.SIGINT)
    stdout, stderr = process.communicate(timeout=60)
    assert process.returncode == 130
    assert "interrupted" in stderr
    assert "Traceback" not in stderr and "KeyboardInterrupt" not in stderr


@pytest.mark.parametrize(("command", "code"), [
    (["problems", "--json"], 141), (["problems"], 141), (["check", "GOOD", "--json", "--no-sandbox"], 141),
    # argparse's own printing swallows the error and exits 0: quiet all the same.
    (["--version"], 0), (["check", "--help"], 0),
])
def test_a_closed_pipe_ends_quietly(tmp_path, command, code):
    good = tmp_path / "good.py"
    good.write_text(GOOD)
    command = [str(good) if part == "GOOD" else part for part in command]
    with open(tmp_path / "stderr", "wb") as errors:
        process = subprocess.Popen([sys.executable, "-m", "graders.cli", *command], stdout=subprocess.PIPE,
                                   stderr=errors)
        process.stdout.close()  # the reader is gone before anything is written, as with `| head -0`
        process.wait(timeout=120)
    assert process.returncode == code
    stderr = (tmp_path / "stderr").read_text().replace(
        "warning: --no-sandbox runs the submission WITHOUT isolation; only for code you trust\n", "")
    assert stderr == ""


def test_problems_json_into_head_prints_its_first_line_and_nothing_else(tmp_path):
    done = subprocess.run(f"{sys.executable} -m graders.cli problems --json | head -1", shell=True,
                          capture_output=True, text=True, timeout=120)
    assert done.stdout == "[\n"
    assert done.stderr == ""


def test_odd_names_and_a_loop_of_links_in_an_export_are_graded_without_a_hitch(tmp_path):
    folder = tmp_path / "export"
    (folder / "carol").mkdir(parents=True)
    (folder / "carol" / os.fsdecode(b"r\xe9ponse.py")).write_text(GOOD)  # a latin-1 file name
    (folder / "carol" / "loop").symlink_to(folder, target_is_directory=True)
    done = nablagrade("check", str(folder), "--json", "--no-sandbox")
    assert done.returncode == 0, done.stderr
    (line,) = [json.loads(text) for text in done.stdout.splitlines()]
    assert line["path"].endswith("carol/r\ufffdponse.py") and line["passed"] is True


def test_the_graders_own_failure_on_one_file_does_not_stop_the_batch(tmp_path, monkeypatch, capsys):
    from graders import cli, engine
    from graders.runner import SubprocessRunner

    real = engine.grade_source

    def fails_on_bob(source, *args, **kwargs):
        if "-s * (1 - s)" in source:
            raise RuntimeError("an engine bug")
        return real(source, *args, **kwargs)

    monkeypatch.setattr(engine, "grade_source", fails_on_bob)
    monkeypatch.setattr(cli, "select_runner", lambda no_sandbox, ahead=None: SubprocessRunner())
    folder = _folder(tmp_path)
    assert cli.main(["check", str(folder / "alice" / "answer.py"), str(folder / "bob" / "answer.py"),
                     str(folder / "alice" / "answer.py"), "--json"]) == 2
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [line.get("passed") for line in lines] == [True, None]  # the same file twice is graded once
    assert "the grader failed on this file (RuntimeError: an engine bug)" in lines[1]["error"]


def test_a_folder_that_cannot_be_read_says_so_and_the_rest_is_graded(tmp_path, monkeypatch, capsys):
    from graders import cli
    from graders.runner import SubprocessRunner

    folder = _folder(tmp_path)
    locked = folder / "dave"
    locked.mkdir()
    real_scandir = os.scandir

    def scandir(path="."):  # as chmod 000 does for anyone but root (the tests may run as root)
        if not isinstance(path, int) and Path(os.fsdecode(path)) in (locked, tmp_path / "locked"):
            raise PermissionError(13, "Permission denied", os.fsdecode(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    monkeypatch.setattr(cli, "select_runner", lambda no_sandbox, ahead=None: SubprocessRunner())
    (tmp_path / "locked").mkdir()
    assert cli.main(["check", str(folder / "alice"), str(folder), str(tmp_path / "locked"), "--json"]) == 2
    captured = capsys.readouterr()
    lines = {Path(line["path"]): line for line in map(json.loads, captured.out.splitlines())}
    assert lines[locked]["error"] == f"{locked}: cannot read this folder (Permission denied)"
    assert "cannot read this folder" in lines[tmp_path / "locked"]["error"]  # not "a folder with no .py file"
    assert lines[folder / "alice" / "answer.py"].get("passed") is True, lines[folder / "alice" / "answer.py"]


def test_files_that_are_not_python_in_a_folder_are_named_not_skipped_silently(tmp_path):
    folder = _folder(tmp_path)
    (folder / "dave").mkdir()
    (folder / "dave" / "HW1.PY").write_text(GOOD)  # saved on Windows: Python all the same
    done = nablagrade("check", str(folder), "--json", "--no-sandbox")
    assert "skipped 1 file that is not .py" in done.stderr and "notes.txt" in done.stderr
    assert "notes.txt" not in done.stdout
    graded = {Path(line["path"]).name: line for line in map(json.loads, done.stdout.splitlines())}
    assert graded["HW1.PY"]["passed"] is True


def test_the_same_file_spelt_two_ways_is_graded_once(good_file, monkeypatch):
    monkeypatch.chdir(good_file.parent)
    done = nablagrade("check", "good.py", str(good_file), "./good.py", "--json", "--no-sandbox")
    assert done.returncode == 0 and len(done.stdout.splitlines()) == 1


def test_selftest_of_an_unknown_problem_is_a_usage_error_not_a_traceback():
    done = nablagrade("selftest", "--problem", "nope", "--no-sandbox")
    assert done.returncode == 2
    assert "unknown problem 'nope'" in done.stderr and "Traceback" not in done.stderr


@pytest.mark.parametrize("command", [[], ["check"], ["selftest"]])
def test_help_documents_the_exit_status(command):
    done = nablagrade(*command, "--help")
    assert done.returncode == 0
    assert "exit status" in done.stdout and "130" in done.stdout and "`nablagrade`" not in done.stdout


def test_the_report_follows_the_terminal_width(tmp_path):
    path = tmp_path / "wrong.py"
    path.write_text(GOOD.replace("return s * (1 - s)", "return -s * (1 - s)"))
    env = {**os.environ, "COLUMNS": "40"}
    done = subprocess.run([sys.executable, "-m", "graders.cli", "check", str(path), str(path.parent / "nope.py"),
                           "--no-sandbox"], capture_output=True, text=True, timeout=300, env=env)
    body = done.stdout.splitlines()[1:]  # the title carries the path, as long as it is
    assert max(len(line) for line in body) <= 40, done.stdout
    assert "sign flipped" in done.stdout.replace("\n        ", " ")


def test_a_file_that_is_not_utf8_names_the_line_to_look_at(tmp_path):
    path = tmp_path / "latin1.py"
    path.write_bytes("import numpy as np\n\n# caf\u00e9\ndef sigmoid_grad(x):\n    return x\n".encode("latin-1"))
    done = nablagrade("check", str(path), "--no-sandbox")
    assert done.returncode == 2
    assert "not UTF-8 text (line 3 has the byte 0xe9" in done.stderr


def test_a_missing_folder_is_not_called_a_missing_file(tmp_path):
    done = nablagrade("check", str(tmp_path / "export") + "/", "--no-sandbox")
    assert done.returncode == 2 and "no such file or folder" in done.stderr


def test_problems_in_a_narrow_terminal_put_the_signature_under_the_title():
    from graders.problem import all_problems

    done = subprocess.run([sys.executable, "-m", "graders.cli", "problems"], capture_output=True, text=True,
                          timeout=60, env={**os.environ, "COLUMNS": "60"})
    assert done.returncode == 0
    assert max(len(line) for line in done.stdout.splitlines()) <= 60 + 20  # a title may be long; never a 130-column row
    for problem in all_problems():
        assert f"{problem.id}: {problem.title}\n    {problem.signature}\n" in done.stdout


def test_a_file_that_declares_its_encoding_is_read_in_it(tmp_path):
    # Python runs a latin-1 file with a PEP 263 coding line, so the grader reads it the same way.
    declared = tmp_path / "declared.py"
    declared.write_bytes(("# -*- coding: latin-1 -*-\n# Dérivée de la sigmoïde.\n" + GOOD).encode("latin-1"))
    undeclared = tmp_path / "undeclared.py"
    undeclared.write_bytes(("# Dérivée de la sigmoïde.\n" + GOOD).encode("latin-1"))
    result = nablagrade("check", str(declared), str(undeclared), "--problem", "sigmoid", "--json")
    by_path = {Path(d["path"]).name: d for d in map(json.loads, result.stdout.splitlines())}
    assert by_path["declared.py"]["score"] == by_path["declared.py"]["max_score"]
    assert "not UTF-8" in by_path["undeclared.py"]["error"]


def test_a_file_name_with_escape_sequences_is_spelt_out_on_stderr(tmp_path):
    folder = tmp_path / "export"
    folder.mkdir()
    (folder / "e\x1b[2Jmpty.py").write_text("")
    (folder / "n\x1b[31motes.txt").write_text("notes")
    done = nablagrade("check", str(folder), "--no-sandbox")
    assert done.returncode == 2
    assert "\x1b" not in done.stderr and "e\\x1b[2Jmpty.py: your file is empty" in done.stderr
    assert "n\\x1b[31motes.txt" in done.stderr


@pytest.mark.parametrize("seed", ["-1", "abc", "1.5"])
def test_a_seed_that_is_not_one_is_a_usage_error(good_file, seed):
    done = nablagrade("check", str(good_file), "--seed", seed, "--no-sandbox")
    assert done.returncode == 2
    assert "is not a seed" in done.stderr and "grader failed" not in done.stderr


def test_a_pipe_or_a_device_in_an_export_is_refused_not_read_forever(tmp_path):
    folder = tmp_path / "export"
    folder.mkdir()
    os.mkfifo(folder / "fifo.py")
    (folder / "zero.py").symlink_to("/dev/zero")
    (folder / "good.py").write_text(GOOD)
    done = nablagrade("check", str(folder), "--json", "--no-sandbox")  # nablagrade() times out, not hangs
    assert done.returncode == 2
    lines = {Path(line["path"]).name: line for line in map(json.loads, done.stdout.splitlines())}
    assert lines["good.py"]["passed"] is True
    assert "not a regular file" in lines["fifo.py"]["error"] and "not a regular file" in lines["zero.py"]["error"]


def test_a_file_that_prints_terminal_escapes_and_lone_surrogates_does_not_stop_the_batch(tmp_path):
    hostile = tmp_path / "a_hostile.py"
    hostile.write_text('def sigmoid_grad(x):\n    print("\\x1b[2J\\x1b]0;pwned\\x07\\udc80")\n'
                       '    raise ValueError("\\rTotal: 10 / 10\\x1b[1A\\ud800")\n')
    (tmp_path / "b_good.py").write_text(GOOD)
    done = subprocess.run([sys.executable, "-m", "graders.cli", "check", str(tmp_path), "--no-sandbox"],
                          capture_output=True, timeout=300)
    assert done.returncode == 1, done.stderr.decode(errors="replace")[-800:]
    shown = done.stdout.decode("utf-8")  # strict: no lone surrogate reached the terminal
    assert "\x1b" not in shown and "\x07" not in shown and "\r" not in shown
    assert "\\x1b[2J" in shown  # what the file printed is shown, as escapes
    assert "b_good.py" in shown.split("Summary of 2 files")[1]  # the next file was graded


def test_version_is_the_installed_packages_and_the_reports():
    from importlib.metadata import version

    from graders import ENGINE_VERSION

    done = nablagrade("--version")
    assert done.returncode == 0
    assert done.stdout.strip() == f"nablagrade {version('nablagrade')}" == f"nablagrade {ENGINE_VERSION}"


def test_a_misspelt_function_is_pointed_out_when_no_bank_function_is_found(tmp_path):
    path = tmp_path / "typo.py"
    path.write_text(GOOD.replace("def sigmoid_grad(x):", "def sigmoid_gradient(x):") + "\ndef helper(x):\n    return x\n")
    done = nablagrade("check", str(path), "--no-sandbox")
    assert done.returncode == 2
    assert "defines none of the bank's functions" in done.stderr
    assert "sigmoid_gradient looks like sigmoid_grad" in done.stderr and "helper looks like" not in done.stderr


def test_the_sandbox_starts_without_loading_numpy():
    # `check` launches the sandbox in a thread while it imports the engine (cli.SandboxAhead):
    # if starting it imported numpy, the launch would wait for the same import and gain nothing.
    code = "import sys, graders.sandbox; print('numpy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.stdout.strip() == "False", out.stderr


HELD = """
import time
from graders.cli import SandboxAhead
from graders.runner import Call, Job

runner = SandboxAhead().runner()
time.sleep(0.5)  # long past the start: a parent killed with its thread would be gone by now
parents = list(runner._all)
pids = [parent.process.pid for parent in parents]
alive = all(parent.alive for parent in parents)
job = Job(source="def probe():\\n    return 2.0\\n", calls=(Call("p", "probe", ()),), allowed=frozenset(), seed=0)
result = runner.run(job).calls["p"]
print(alive, [parent.process.pid for parent in runner._all] == pids, result.status, result.value)
"""


def test_a_sandbox_started_ahead_outlives_the_thread_that_started_it():
    # bubblewrap's --die-with-parent follows the thread that started it, not the process: the
    # starting thread must stay, or the sandbox is killed once its start is over.
    out = subprocess.run([sys.executable, "-c", HELD], capture_output=True, text=True, timeout=120)
    assert out.stdout.split() == ["True", "True", "ok", "2.0"], out.stderr


def test_the_sandbox_thread_has_its_imports_before_the_engine_starts_on_its_own():
    # The engine's imports wait for the sandbox thread's (cli.SandboxAhead): side by side they
    # queue for the interpreter lock and the sandbox launches later.
    code = ("import sys\nfrom graders.cli import SandboxAhead\nahead = SandboxAhead()\n"
            "print('graders.sandbox.pool' in sys.modules, 'numpy' in sys.modules)\n"
            "print(ahead.runner() is not None)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.stdout.split() == ["True", "False", "True"], out.stderr


INSTALLED = Path(sys.executable).parent / "nablagrade"


@pytest.mark.parametrize(("args", "code", "says"), [
    (["--problem", "sigmoid", "--json"], 0, None),
    (["--problem", "no_such_problem"], 2, "no_such_problem"),
])
def test_the_installed_command_ends_quickly_with_its_whole_output_and_code(good_file, args, code, says):
    # The console script is cli.run: main(), the sandbox torn down, then os._exit (no interpreter
    # teardown). Nothing buffered may be lost on the way out, and the code must be main()'s.
    done = subprocess.run([str(INSTALLED), "check", str(good_file), *args], capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == code, done.stderr
    if says is None:
        assert json.loads(done.stdout)["score"] == json.loads(done.stdout)["max_score"] > 0
    else:
        assert says in done.stderr


def test_the_installed_command_passes_argparse_exits_on():
    done = subprocess.run([str(INSTALLED), "--version"], capture_output=True, text=True, timeout=60)
    assert (done.returncode, done.stdout.split()[0]) == (0, "nablagrade")
    done = subprocess.run([str(INSTALLED), "check"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and "required" in done.stderr
