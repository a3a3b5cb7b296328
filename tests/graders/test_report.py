"""The text report: each message once, the visible trial's values, what the code printed,
and trials that did not run said to be not run."""

import textwrap

from assignments import load_assignment
from graders.assignment import ad_hoc
from graders.engine import grade_source
from graders.problem import get_problem
from graders.report import VALUE_LINES, _cells, render, show_value, summary

SYNTAX_ERROR = "import numpy as np\n\ndef sigmoid_grad(x)\n    return x\n"

WRONG_AND_CHATTY = """
import numpy as np

def sigmoid_grad(x):
    print("my shape is", x.shape)
    return -x
"""

LOOPS_ON_THE_FIRST_TRIAL = """
import numpy as np

def sigmoid_grad(x):
    if x.shape == (3, 4):
        while True:
            pass
    s = 0.5 * (1 + np.tanh(0.5 * x))
    return s * (1 - s)
"""


def test_a_syntax_error_is_said_once_for_all_of_hw1(runner):
    hw1 = load_assignment("hw1")
    report = render(grade_source(SYNTAX_ERROR, hw1, runner=runner), "broken.py")
    assert report.count("syntax error on line 3") == 1
    # Said once for the file, above one line per problem (not once more per problem).
    assert report.count("FAIL  every problem [syntax_error]") == 1 and "every check" not in report
    assert "the same message as" not in report
    for problem in hw1.problems:
        assert f"{problem.problem.id}: {problem.problem.function} " in report
    assert len(report.splitlines()) <= len(hw1.problems) + 12
    assert "Total: 0 / 100" in report


def test_a_failed_visible_trial_shows_its_inputs_expected_and_received_values(runner):
    document = grade_source(textwrap.dedent(WRONG_AND_CHATTY), ad_hoc([get_problem("sigmoid")]), runner=runner)
    report = render(document, "wrong.py")
    visible = report.split("FAIL  values: trial 1 (visible)")[1].split("FAIL  values: trial 2")[0]
    inputs, rest = visible.split("inputs:")[1].split("expected:")
    expected, received = rest.split("received:")
    x = document["problems"][0]["checks"][3]["details"]["inputs"]["x"]
    assert f"{x[0][0]:.6f}" in inputs and f"{-x[0][0]:.6f}" in received  # -x came back
    assert "shape (3, 4)" in expected
    # Hidden trials show no values.
    assert "inputs:" not in report.split("FAIL  values: trial 2 (hidden)")[1].split("stability")[0]


def test_what_the_code_printed_is_shown(runner):
    document = grade_source(textwrap.dedent(WRONG_AND_CHATTY), ad_hoc([get_problem("sigmoid")]), runner=runner)
    report = render(document, "wrong.py")
    assert "Your code printed:\n  | my shape is (3, 4)" in report


def test_each_message_once_per_problem(runner):
    document = grade_source(textwrap.dedent(WRONG_AND_CHATTY), ad_hoc([get_problem("sigmoid")]), runner=runner)
    report = render(document, "wrong.py")
    assert report.count("wrong on this hidden trial") == 1
    assert report.count("FAIL  values: trial") == 3


def test_trials_not_run_after_a_failure_say_so_and_nothing_says_not_run_twice(runner):
    document = grade_source(textwrap.dedent(LOOPS_ON_THE_FIRST_TRIAL), ad_hoc([get_problem("sigmoid")]), runner=runner)
    checks = {check["name"]: check for check in document["problems"][0]["checks"]}
    hidden = checks["values: trial 2 (hidden)"]
    assert hidden["message"].startswith("sigmoid_grad was not run: an earlier call ") and "infinite loop?" in hidden["message"]
    assert "details" not in checks["stability: stability trial (inputs near +1000 and -1000)"]
    report = render(document, "loops.py")
    assert "not run: not run" not in report and "(timeout)" not in report
    assert "was not run: an earlier call" in report


def test_a_large_array_is_cut_to_a_few_lines():
    lines = show_value([[float(i * 50 + j) for j in range(50)] for i in range(50)])
    assert len(lines) <= VALUE_LINES
    assert "shape (50, 50)" in "".join(lines) or "more lines" in lines[-1]
    assert show_value(["nan", 1.0, "-inf"]) == ["[ nan   1. -inf]   shape (3,)"]
    assert show_value("array of shape (500, 500) (too large to show)") == ["array of shape (500, 500) (too large to show)"]
    assert show_value(2.5) == ["2.5"]


def test_the_summary_has_a_row_per_file():
    good = {"score": 10, "max_score": 10, "passed": True, "problems": []}
    short = {"score": 4, "max_score": 10, "passed": False,
             "problems": [{"id": "sigmoid", "passed": False, "diagnosis": "sign_flipped"}]}
    table = summary([("a.py", good, ""), ("b.py", short, ""), ("c.py", None, "c.py is a binary file")]).splitlines()
    assert table[0] == "Summary of 3 files"
    assert table[2].split() == ["a.py", "10", "/", "10", "full", "marks"]
    assert table[3].split()[:4] == ["b.py", "4", "/", "10"] and table[3].endswith("short on sigmoid (sign_flipped)")
    # The path has its column: the reason does not say it again.
    assert table[4].startswith("c.py") and table[4].endswith("not graded: a binary file")
    assert table[5] == "1 with full marks, 1 short, 1 not graded"


def test_the_summary_fits_a_narrow_terminal_and_lines_up_wide_characters():
    good = {"score": 10, "max_score": 10, "passed": True, "problems": []}
    long_error = "export/x.py defines none of the bank's functions (" + ", ".join(["some_function"] * 20) + ")"
    rows = [("export/\u540d\u524d.py", good, ""), ("export/plain.py", good, ""), ("export/x.py", None, long_error)]
    table = summary(rows, width=40).splitlines()
    assert all(_cells(line) <= 40 for line in table), table
    # A long reason wraps under its row, without the list of functions the file's own message gives.
    assert "not graded: defines none of the bank's functions" in " ".join(line.strip() for line in table[4:-1])
    assert "some_function" not in "\n".join(table)
    # The score column starts in the same terminal cell on every row, CJK names included.
    columns = {_cells(line[: line.index("10 / 10")]) for line in table[2:4]}
    assert len(columns) == 1, table


def test_a_narrow_terminal_gets_a_narrow_report(runner):
    document = grade_source(textwrap.dedent(WRONG_AND_CHATTY), ad_hoc([get_problem("sigmoid")]), runner=runner)
    wide, narrow = render(document, "wrong.py"), render(document, "wrong.py", width=40)
    assert max(len(line) for line in wide.splitlines()) > 60
    assert max(len(line) for line in narrow.splitlines()) <= 40, narrow
    assert "the largest error is" in narrow.replace("\n        ", " ")


def test_integers_read_as_integers_and_small_entries_in_fixed_point():
    assert show_value(6) == ["6"] and show_value(3.0) == ["3.0"] and show_value([6, 7]) == ["[6 7]   shape (2,)"]
    # A Jacobian with entries from 1e-5 to 0.1 reads like the student's answer, without exponents.
    jacobian = [[0.004, -0.00044, -0.0032, -0.00037, -0.00009]] * 5
    lines = show_value(jacobian)
    assert "e-" not in "".join(lines) and len(lines) == 5 and "-0.00009" in lines[0]
    # Tiny or huge values keep their exponents, or they would read as 0 or overflow the line.
    assert "e-07" in show_value([1e-7, 2e-7])[0] and "e+20" in show_value([1e20, 1.0])[0]


def test_the_values_behind_a_message_are_shown_once_per_problem():
    def check(name, message, details):
        return {"name": name, "passed": False, "diagnosis": "transposed", "message": message, "details": details}

    details = {"inputs": {"x": [1.0, 2.0]}, "expected": {"x": [[1.0, 2.0]]}, "received": {"x": [[1.0], [2.0]]}}
    problem = {"id": "p", "function": "f", "score": 0, "max_score": 10, "passed": False, "diagnosis": "transposed",
               "checks": [check("exact shape", "it looks transposed", None),
                          {"name": "type", "passed": True, "diagnosis": None, "message": "ok"},
                          check("values: trial 1 (visible)", "it looks transposed", details),
                          check("stability: trial", "it looks transposed", details)]}
    report = render({"problems": [problem], "score": 0, "max_score": 10}, "t.py")
    assert report.count("it looks transposed") == 1
    assert report.count("inputs:") == 1 and report.index("inputs:") > report.index("values: trial 1")


PRINTS_ITS_INPUT = """
import numpy as np

def sigmoid_grad(x):
    print("x =", x.tolist())
    s = 0.5 * (1 + np.tanh(0.5 * x))
    return s * (1 - s)
"""


def test_what_hidden_trials_print_is_held_back(runner):
    from graders.preparation import prepare

    assignment = ad_hoc([get_problem("sigmoid")])
    source = textwrap.dedent(PRINTS_ITS_INPUT)
    document = grade_source(source, assignment, runner=runner)
    printed = document["output"]
    from graders.engine import hidden_set_of

    trials = prepare(get_problem("sigmoid"), assignment.seed, 3, hidden_set_of(assignment.seed, source, assignment.hidden_pool))
    for trial in trials:
        shown = f"x = {trial.inputs['x'].tolist()}" in printed
        assert shown == trial.trial.visible, trial.trial.label
    assert printed.count("[what your code printed during hidden trials is not shown]") == 1


def test_an_answer_named_after_an_input_is_labelled_as_its_derivative():
    details = {"inputs": {"x": [1.0, 2.0], "beta": 3.0}, "expected": {"x": [0.5, 0.25]},
               "received": {"x": [1.0, 0.5]}}
    problem = {"id": "p", "function": "f", "score": 0, "max_score": 10, "passed": False, "diagnosis": "scaled",
               "checks": [{"name": "values: trial 1 (visible)", "passed": False, "diagnosis": "scaled",
                           "message": "off by a factor 2", "details": details}]}
    report = render({"problems": [problem], "score": 0, "max_score": 10}, "t.py")
    inputs, answers = report.split("expected:")
    assert "  x = [1. 2.]" in inputs and "beta = 3.0" in inputs
    assert "d/dx = [0.5  0.25]" in answers and "d/dx = [1.  0.5]" in answers and " x = " not in answers
    iterates = {**details, "inputs": {"alpha": 0.5}, "expected": {"result": [0.0, 1.0]}, "received": {}}
    problem["checks"][0]["details"] = iterates
    assert "result = [0. 1.]" in render({"problems": [problem], "score": 0, "max_score": 10}, "t.py")


CLEARS_THE_SCREEN = """
import numpy as np
print("\\x1b[2J\\x1b[H\\x1b[32mTotal: 10 / 10\\x1b[0m \\u202edesrever")

def sigmoid_grad(x):
    raise ValueError("\\x1b[1A\\x1b[2Kfull marks")
"""


def test_what_the_student_printed_or_raised_cannot_drive_the_terminal(runner):
    document = grade_source(textwrap.dedent(CLEARS_THE_SCREEN), ad_hoc([get_problem("sigmoid")]), runner=runner)
    assert "\x1b" in document["output"]  # the document keeps what was printed; the terminal gets it spelt out
    report = render(document, "evil\x1b]0;title\x07.py")
    assert "\x1b" not in report and "\u202e" not in report and "\x07" not in report
    assert "\\x1b[2J\\x1b[H\\x1b[32mTotal: 10 / 10" in report and "\\u202edesrever" in report
    assert "ValueError: \\x1b[1A\\x1b[2Kfull marks" in report and "evil\\x1b]0;title\\x07.py" in report
    table = summary([("a\x1b[2J.py", None, "a\x1b[2J.py is a binary file")])
    assert "\x1b" not in table and "a\\x1b[2J.py" in table
