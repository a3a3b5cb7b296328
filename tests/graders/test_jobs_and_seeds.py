"""How a submission's calls are grouped into jobs, and where the hidden inputs come from."""

import numpy as np

from assignments import load_assignment
from graders.assignment import ad_hoc
from graders.engine import grade_source, hidden_set_of, prepare
from graders.problem import get_problem
from graders.runner import SubprocessRunner
from graders.selftest import solution_source


class CountingRunner:
    def __init__(self) -> None:
        self.inner = SubprocessRunner()
        self.jobs: list[int] = []

    def run(self, job):
        self.jobs.append(len(job.calls))
        return self.inner.run(job)


def test_problems_with_one_import_policy_share_a_single_job():
    hw1 = load_assignment("hw1")
    source = "\n\n".join(solution_source(config.problem) for config in hw1.problems)
    runner = CountingRunner()
    document = grade_source(source, hw1, runner=runner)
    assert document["score"] == document["max_score"]
    assert len(runner.jobs) == 1
    assert runner.jobs[0] == sum(len(prepare(c.problem, hw1.seed, c.trials)) for c in hw1.problems)


def test_a_runaway_problem_costs_one_more_job_and_nothing_else():
    problems = [get_problem("sigmoid"), get_problem("softmax"), get_problem("l2_loss")]
    loop = "def softmax_jacobian(x):\n    while True:\n        pass\n"
    source = solution_source(problems[0]) + "\n\n" + loop + "\n\n" + solution_source(problems[2])
    runner = CountingRunner()
    document = grade_source(source, ad_hoc(problems), runner=runner)
    sigmoid, softmax, l2 = document["problems"]
    assert softmax["diagnosis"] == "timeout" and softmax["score"] == 0
    assert sigmoid["score"] == sigmoid["max_score"] and l2["score"] == l2["max_score"]
    # the first job stops at the loop; l2_loss (and nothing already graded) runs again
    assert len(runner.jobs) == 2 and runner.jobs[1] < runner.jobs[0]


def test_hidden_inputs_change_with_the_file_and_visible_ones_do_not():
    problem = get_problem("l2_loss_batch")
    one, two = hidden_set_of(1, "a = 1\n", 64), hidden_set_of(1, "a = 1  # edited\n", 64)
    assert one != two and hidden_set_of(1, "a = 1\n", 64) == one
    assert {hidden_set_of(1, f"a = {i}\n", 64) for i in range(2000)} == set(range(64))  # every set is used
    first, second = prepare(problem, 1, 3, one), prepare(problem, 1, 3, two)
    assert np.array_equal(first[0].inputs["X"], second[0].inputs["X"])  # the visible trial
    assert not np.array_equal(first[1].inputs["X"], second[1].inputs["X"])  # a hidden one


LOOKUP = '''
import numpy as np

ANSWERS = {table}


def l2_loss_batch_grad(w, X, y):
    key = round(float(X.sum()), 9)
    if key in ANSWERS:
        return np.array(ANSWERS[key])
    return np.zeros_like(w)
'''


def test_answers_hard_coded_for_a_previous_files_hidden_inputs_do_not_pass(runner):
    """A student who printed the hidden inputs of one submission cannot hard-code
    answers for them: the next file has other hidden inputs."""
    problem = get_problem("l2_loss_batch")
    assignment = ad_hoc([problem])
    spy = "import numpy as np\n\ndef l2_loss_batch_grad(w, X, y):\n    print(X.tolist())\n    return np.zeros_like(w)\n"
    spied_set = hidden_set_of(assignment.seed, spy, assignment.hidden_pool)
    spied = prepare(problem, assignment.seed, 3, spied_set)
    table = {round(float(t.inputs["X"].sum()), 9): t.expected["w"].tolist() for t in spied}
    cheat = LOOKUP.format(table=repr(table))
    # One file in `hidden_pool` lands on the spied set by chance; the next edit does not.
    while hidden_set_of(assignment.seed, cheat, assignment.hidden_pool) == spied_set:
        cheat += "#\n"
    result = grade_source(cheat, assignment, runner=runner)["problems"][0]
    values = [c for c in result["checks"] if c["category"] == "value"]
    assert values[0]["passed"]  # the visible trial is the same for everyone
    assert not any(c["passed"] for c in values[1:])


def _printing(problem, characters: int) -> str:
    """The problem's solution, wrapped so that every call first prints `characters` characters."""
    wrapper = (f"\n\n_solved_{problem.id} = {problem.function}\n\n\n"
               f"def {problem.function}(*args):\n    print('#' * {characters})\n"
               f"    return _solved_{problem.id}(*args)\n")
    return solution_source(problem) + wrapper


def test_what_other_problems_printed_is_not_charged_to_the_last_one():
    # hw1's problems share one job: each call may print up to 64 KiB, whatever the others printed.
    hw1 = load_assignment("hw1")
    source = "\n\n".join(_printing(config.problem, 20_000) for config in hw1.problems)
    document = grade_source(source, hw1, runner=SubprocessRunner())
    assert document["score"] == document["max_score"], [(p["id"], p["diagnosis"]) for p in document["problems"]]
    assert "after the first 64 KiB is not shown" in document["output"]
    assert len(document["output"]) <= 64 * 1024


def test_a_call_that_prints_more_than_its_allowance_is_still_stopped_alone():
    problems = [get_problem("sigmoid"), get_problem("softmax")]
    source = _printing(problems[0], 17 * 1024 * 1024) + "\n\n" + solution_source(problems[1])
    document = grade_source(source, ad_hoc(problems), runner=SubprocessRunner())
    sigmoid, softmax = document["problems"]
    assert sigmoid["diagnosis"] == "output_limit" and "16 MiB" in sigmoid["checks"][0]["message"]
    assert softmax["score"] == softmax["max_score"]
    assert len(document["output"]) <= 64 * 1024


def test_a_right_answer_that_prints_a_lot_keeps_full_marks():
    # Debug prints far past what the report keeps (64 KiB) are dropped, not held against the answer.
    problem = get_problem("sigmoid")
    document = grade_source(_printing(problem, 300_000), ad_hoc([problem]), runner=SubprocessRunner())
    assert document["score"] == document["max_score"], document["problems"][0]["diagnosis"]
    assert "after the first 64 KiB is not shown" in document["output"] and len(document["output"]) <= 64 * 1024
