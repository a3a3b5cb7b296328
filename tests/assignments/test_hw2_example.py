"""assignments/examples/hw2_correct.py (all eight answers in one file, torch imported
at module level for the custom Function) scores full marks, and every hw2 problem
passes the self-test: its solution scores full marks, every wrong variant and
catalog mistake gets its diagnosis and hint."""

import pytest

from assignments import EXAMPLES_DIR
from graders.problem import get_problem
from graders.selftest import check_problem
from tests.assignments.hw2_fixtures import HW2_PROBLEMS, hw2, make_grader
from tests.assignments.results import full_marks, messages


def test_the_combined_correct_submission_scores_full_marks(sandbox_runner):
    source = (EXAMPLES_DIR / "hw2_correct.py").read_text(encoding="utf-8")
    document = make_grader(sandbox_runner)(source)
    assert [problem["id"] for problem in document["problems"]] == list(HW2_PROBLEMS)
    for problem in document["problems"]:
        assert full_marks(problem), f"{problem['id']}: {messages(problem)}"
    assert document["passed"] and document["score"] == document["max_score"] == hw2().max_score


@pytest.mark.parametrize("problem_id", HW2_PROBLEMS)
def test_the_problem_passes_the_self_test(sandbox_runner, problem_id):
    outcomes = check_problem(get_problem(problem_id), sandbox_runner, seed=hw2().seed)
    assert len(outcomes) >= 4  # the solution and at least sign / x2 / x0.5
    bad = [f"{o.variant}: expected {o.expect}, {o.why}" for o in outcomes if not o.ok]
    assert not bad, bad
