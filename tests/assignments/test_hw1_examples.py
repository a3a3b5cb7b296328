"""The example files `make demo` prints, and the bank's own self-test for hw1."""

import json

import pytest

from assignments import EXAMPLES_DIR
from graders import cli, selftest
from graders.problem import get_problem
from tests.assignments.results import by_id

# What hw1_mistakes.py demonstrates, one mistake per function (l2_loss is right).
DEMONSTRATED = {
    "sigmoid": "not_finite",
    "softmax": "diagonal_only",
    "softplus": "wrong_value",
    "l2_loss": None,
    "l2_loss_batch": "scaled",
    "one_layer_net": "transposed",
}


def test_the_mistakes_example_shows_one_diagnosis_per_function(grade_hw1):
    document = grade_hw1((EXAMPLES_DIR / "hw1_mistakes.py").read_text(encoding="utf-8"))
    problems = by_id(document)
    assert {pid: p["diagnosis"] for pid, p in problems.items()} == DEMONSTRATED
    assert 0 < document["score"] < document["max_score"]
    assert "m = 6 times" in json.dumps(problems["l2_loss_batch"])


def test_nablagrade_check_exit_codes_on_the_examples(capsys):
    correct = cli.main(["check", str(EXAMPLES_DIR / "hw1_correct.py"), "--assignment", "hw1", "--no-sandbox"])
    report = capsys.readouterr().out
    assert correct == cli.EXIT_FULL
    assert "Total: 100 / 100" in report
    wrong = cli.main(["check", str(EXAMPLES_DIR / "hw1_mistakes.py"), "--assignment", "hw1", "--no-sandbox", "--json"])
    document = json.loads(capsys.readouterr().out)
    assert wrong == cli.EXIT_SHORT
    assert {p["id"]: p["diagnosis"] for p in document["problems"]} == DEMONSTRATED


@pytest.mark.parametrize("problem_id", list(DEMONSTRATED))
def test_selftest_solution_passes_and_every_variant_is_caught(sandbox_runner, hw1, problem_id):
    outcomes = selftest.check_problem(get_problem(problem_id), sandbox_runner, hw1.seed)
    assert outcomes[0].variant == "correct"
    assert len(outcomes) > 5
    assert [(o.variant, o.why) for o in outcomes if not o.ok] == []
