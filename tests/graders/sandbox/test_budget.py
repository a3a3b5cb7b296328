"""A wall-clock budget per submission: a file whose every call sleeps just under the
per-call limit is stopped once its calls have used the assignment's `time_budget`;
the calls left are reported as not run for that reason (never as an infinite loop),
and the next submission on the same runner is graded in full."""

import json

from graders.assignment import Assignment, ProblemConfig, parse_assignment_text
from graders.engine import grade_source
from graders.problem import get_problem
from tests.graders.sandbox.conftest import HOSTILE

BUDGET_CASES = ("sleep_under_the_limit.py",)
PROBLEMS = ("sigmoid", "softmax", "softplus")


def _assignment(budget: float) -> Assignment:
    return Assignment("t", "t", tuple(ProblemConfig(get_problem(p)) for p in PROBLEMS), time_budget=budget)


def test_a_submission_stops_at_its_time_budget(sandbox, assert_next_job_clean):
    source = (HOSTILE / "sleep_under_the_limit.py").read_text()
    document = grade_source(source, _assignment(5.0), runner=sandbox)
    checks = [c for p in document["problems"] for c in p["checks"]]
    value_checks = [c for c in checks if c["category"] in ("value", "stability")]
    budget = [c for c in value_checks if "time budget (5 s)" in c["message"] or "(timeout)" in c["message"]]
    # One call of 1.9 s per trial (regular and stability); 5 s leave room for at most 3 of them.
    calls = sum(3 + (len(get_problem(p).stability_cases) if get_problem(p).stability else 0) for p in PROBLEMS)
    assert len(value_checks) == calls
    assert len(budget) >= calls - 3, [c["message"] for c in value_checks]
    assert not any("infinite loop" in c["message"] for c in checks)
    assert any(c["passed"] for c in value_checks)  # the calls that ran were graded
    assert len(json.dumps(document)) < 256 * 1024
    assert_next_job_clean()


def test_the_budget_is_set_in_the_assignment_file():
    spec = parse_assignment_text('time_budget = 12.5\n[[problems]]\nid = "sigmoid"\n', "hw")
    assert spec.time_budget == 12.5
    assert parse_assignment_text('[[problems]]\nid = "sigmoid"\n', "hw").time_budget == 30.0
