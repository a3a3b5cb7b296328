"""hw1.toml and its problem modules: what the file declares, and test points that
expose mistakes without making correct answers look wrong."""

import ast
import datetime as dt
import inspect
import textwrap

import numpy as np
import pytest

from graders.engine import prepare, trial_rng, trials_for
from graders.finite_difference import relative_error
from graders.problem import Trial, TrialKind, get_problem
from graders.reference import reference_outputs
from graders.sampling import softmax

HW1 = {"sigmoid": 10, "softmax": 15, "softplus": 10, "l2_loss": 10, "l2_loss_batch": 15, "one_layer_net": 40}
SEEDS = range(60)


def test_hw1_declares_its_problems_points_and_policy(hw1):
    assert {c.problem.id: c.points for c in hw1.problems} == HW1
    assert hw1.max_score == 100
    assert all(c.tolerance == 1e-4 and c.trials == 3 for c in hw1.problems)
    assert hw1.problems[0].weights == {"type": 1, "shape": 2, "finite": 1, "value": 5, "stability": 1, "gradcheck": 1}
    assert hw1.due == dt.datetime(2026, 12, 4, 23, 59, tzinfo=dt.UTC)
    assert (hw1.late_policy, hw1.late_penalty_per_day, hw1.max_submissions_per_day) == ("penalty", 0.1, 20)
    allowed = hw1.problems[0].allowed
    assert {"numpy", "math", "itertools"} <= allowed
    assert not {"torch", "jax", "autograd", "sympy", "os", "subprocess"} & allowed


@pytest.mark.parametrize("problem_id", HW1)
def test_statement_and_signature_match_the_contract(problem_id):
    problem = get_problem(problem_id)
    assert problem.function in problem.statement
    assert "$" in problem.statement  # LaTeX for the formula
    assert list(inspect.signature(problem.solution).parameters) == list(problem.params)
    for mistake in problem.mistakes:
        assert list(inspect.signature(mistake.solution).parameters) == list(problem.params), mistake.name
        assert mistake.hint and mistake.expect


@pytest.mark.parametrize("problem_id", HW1)
def test_solution_and_mistakes_are_self_contained_numpy(problem_id, hw1):
    """Each is submitted as source on its own: only `np` may come from outside."""
    problem = get_problem(problem_id)
    for function in (problem.solution, *(m.solution for m in problem.mistakes)):
        source = textwrap.dedent(inspect.getsource(function))
        assert not [n for n in ast.walk(ast.parse(source)) if isinstance(n, (ast.Import, ast.ImportFrom))]
        namespace = {"np": np}
        exec(compile(source, "<bank>", "exec"), namespace)  # noqa: S102 - our own bank code
        trial = prepare(problem, hw1.seed, 3)[0]
        with np.errstate(all="ignore"):
            namespace[function.__name__](*(np.copy(trial.inputs[name]) for name in problem.params))
    trial = prepare(problem, hw1.seed, 3)[0]
    answer = problem.solution(*(np.copy(trial.inputs[name]) for name in problem.params))
    answers = answer if isinstance(answer, dict) else {problem.wrt[0]: answer}
    for name, want in trial.expected.items():
        assert np.shape(answers[name]) == want.shape
        assert relative_error(np.asarray(answers[name], dtype=float), want) <= 1e-12


@pytest.mark.parametrize("problem_id", HW1)
def test_a_transposed_answer_cannot_have_the_right_shape(problem_id, hw1):
    problem = get_problem(problem_id)
    for trial in prepare(problem, hw1.seed, 3):
        for name, want in trial.expected.items():
            if problem_id == "softmax":
                assert want.shape[0] == want.shape[1]  # a Jacobian of R^n -> R^n is square by nature
                continue
            if want.ndim == 1:
                # Only where the statement says "any shape": a vector, whose transpose is itself.
                # The visible trial and the one with three axes still refuse a transposed answer.
                assert "any shape" in problem.statement and not trial.trial.visible, name
                continue
            assert want.ndim >= 2 and want.shape != want.shape[::-1], name


def _samples(problem_id: str, kind: TrialKind):
    problem = get_problem(problem_id)
    trial = Trial(kind, 0 if kind is TrialKind.REGULAR else 3, visible=True)
    return [problem.sample(trial_rng(seed, problem, trial, 0), trial) for seed in SEEDS]


@pytest.mark.parametrize("kind", list(TrialKind))
def test_one_layer_net_points_avoid_the_relu_kink_and_a_saturated_softmax(kind):
    for point in _samples("one_layer_net", kind):
        assert point["x"].shape == (5, 1) and point["W"].shape == (4, 5) and point["U"].shape == (3, 4)
        assert sorted(point["y"].ravel()) == [0.0, 0.0, 1.0]
        z = point["W"] @ point["x"] + point["b1"]
        assert np.abs(z).min() >= 0.1
        assert (z > 0).any() and (z < 0).any()
        theta = point["U"] @ np.maximum(z, 0) + point["b2"]
        assert softmax(theta).max() <= 0.98
        if kind is TrialKind.STABILITY:
            assert theta.min() > 900  # naive exp(theta) overflows here


@pytest.mark.parametrize("problem_id", ["sigmoid", "softplus"])
def test_stability_trials_overflow_exp_of_either_sign_and_keep_the_reference_finite(problem_id):
    problem = get_problem(problem_id)
    for point in _samples(problem_id, TrialKind.STABILITY):
        t = point["x"] * point.get("beta", 1.0)
        # e^t overflows somewhere and so does e^-t: naive forms fail whichever they use
        assert t.max() >= 995 and t.min() <= -995
        assert np.all(np.isfinite(reference_outputs(problem, point)["x"]))
    assert [t.kind for t in trials_for(problem, 3)].count(TrialKind.STABILITY) == 1


def test_l2_points_are_non_degenerate_and_name_the_batch_size():
    for point in _samples("l2_loss", TrialKind.REGULAR):
        assert abs((point["w"].T @ point["x"]).item() - point["y"]) >= 0.3
        assert isinstance(point["y"], float)
    problem = get_problem("l2_loss_batch")
    for point in _samples("l2_loss_batch", TrialKind.REGULAR):
        assert point["X"].shape == (6, 4) and point["w"].shape == (4, 1) and point["y"].shape == (6, 1)
        assert dict(problem.scale_names(point)) == {"m": 6, "m/n": 1.5}
