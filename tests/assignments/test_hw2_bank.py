"""The hw2 problem modules: test points that expose mistakes and keep correct answers
correct, references that finite differences confirm, and hw2.toml as written."""

import math

import numpy as np
import pytest

from graders.engine import prepare, trial_rng, trials_for
from graders.preparation import sampled_as
from graders.problem import TrialKind, get_problem
from graders.reference import reference_outputs
from tests.assignments.hw2_fixtures import HW2_PROBLEMS, hw2

SEED = hw2().seed


def points(problem_id: str, count: int = 3) -> list:
    """(trial, inputs) for every trial hw2 would grade, sampled the engine's way."""
    problem = get_problem(problem_id)
    return [(trial, problem.sample(trial_rng(SEED, problem, trial, 0), sampled_as(SEED, problem, trial)))
            for trial in trials_for(problem, count)]


@pytest.mark.parametrize("problem_id", HW2_PROBLEMS)
def test_references_are_confirmed_by_finite_differences(problem_id):
    # prepare() raises InvalidReference when autograd and finite differences disagree.
    prepared = prepare(get_problem(problem_id), SEED, 3)
    assert len(prepared) == 3 + 2 * (problem_id == "logistic")  # a stability trial per sign of the margin
    for item in prepared:
        assert all(np.all(np.isfinite(value)) for value in item.expected.values())


@pytest.mark.parametrize("problem_id", HW2_PROBLEMS)
def test_sampling_is_deterministic(problem_id):
    first, second = points(problem_id), points(problem_id)
    for (_, a), (_, b) in zip(first, second, strict=True):
        assert a.keys() == b.keys()
        for name in a:
            assert np.array_equal(np.asarray(a[name]), np.asarray(b[name]))


# legendre_p3's solution is a class, graded through the harness in the example suite.
@pytest.mark.parametrize("problem_id", [p for p in HW2_PROBLEMS if p != "legendre_p3"])
def test_the_self_contained_solution_matches_the_reference(problem_id):
    problem = get_problem(problem_id)
    for _, inputs in points(problem_id):
        expected = reference_outputs(problem, inputs)
        got = problem.solution(*(inputs[name] for name in problem.params))
        if isinstance(got, dict):
            got_by_name = got
        elif isinstance(got, tuple):
            got_by_name = dict(zip(problem.wrt, got, strict=True))
        else:
            got_by_name = {next(iter(expected)): got}
        for name, want in expected.items():
            assert np.shape(got_by_name[name]) == want.shape
            np.testing.assert_allclose(got_by_name[name], want, rtol=1e-10, atol=1e-12)


def test_quadratic_form_points_are_non_symmetric_and_sized_differently():
    sizes = []
    for trial, inputs in points("quadratic_form"):
        a = inputs["A"]
        assert np.linalg.norm(a - a.T) > 0.5 * np.linalg.norm(a)
        sizes.append(inputs["x"].shape[0])
        if trial.visible:
            assert inputs["x"].shape == (4, 1)
    assert 4 not in sizes[1:]


def test_linear_l2_shapes_make_every_transpose_visible():
    for _, inputs in points("linear_l2"):
        m, n = inputs["W"].shape
        assert m != n
        assert inputs["b"].shape == inputs["y"].shape == (m, 1) and inputs["x"].shape == (n, 1)


def test_logistic_trials_use_both_labels_and_huge_margins_of_both_signs_for_stability():
    labels, stability = set(), []
    for trial, inputs in points("logistic"):
        margin = inputs["y"] * (inputs["w"].T @ inputs["x"]).item()
        assert inputs["y"] in (-1.0, 1.0) and isinstance(inputs["y"], float)
        assert inputs["lam"] > 1.4
        if trial.kind is TrialKind.STABILITY:
            stability.append(margin)
        else:
            labels.add(inputs["y"])
            assert 0.5 <= abs(margin) <= 3.0
    assert labels == {-1.0, 1.0}
    wrong, right = stability
    assert -1006 < wrong < -994 and 994 < right < 1006
    with np.errstate(over="ignore"):
        assert np.isinf(np.exp(-wrong))  # what a naive sigma(-m) = e^-m / (1 + e^-m) meets
        assert np.isinf(np.exp(right))  # and a naive 1 - e^m / (1 + e^m)


def test_scalar_chain_points_give_every_term_a_visible_share():
    from assignments.bank.scalar_chain import SHARE, term_gradients

    for _, inputs in points("scalar_chain"):
        x, z = inputs["x"], inputs["z"]
        assert isinstance(x, float) and isinstance(z, float) and x > 1 and z != 0
        parts = np.array(term_gradients(x, z))
        total = np.linalg.norm(parts.sum(axis=0))
        assert min(np.linalg.norm(parts, axis=1)) >= SHARE * total


def test_scalar_chain_matches_the_worked_example():
    # The course notes: at x = 2, z = 3, dy/dx = 1208.381215126610 and dy/dz = 809.707479218564.
    expected = reference_outputs(get_problem("scalar_chain"), {"x": 2.0, "z": 3.0})
    assert float(expected["x"]) == pytest.approx(1208.381215126610, rel=1e-12)
    assert float(expected["z"]) == pytest.approx(809.707479218564, rel=1e-12)


def test_tanh_log_points_keep_the_log_and_sine_well_defined():
    for _, inputs in points("tanh_log"):
        sin = math.sin(inputs["y"])
        assert abs(sin) >= 0.4
        assert 0.3 <= 1 + 2 * inputs["x"] * inputs["z"] / sin <= 4.0


def test_gd_trajectory_covers_converging_oscillating_and_diverging_rates():
    regimes, hidden_steps = [], set()
    for trial, inputs in points("gd_trajectory"):
        alpha, steps = inputs["alpha"], inputs["steps"]
        assert isinstance(alpha, float) and isinstance(steps, int)
        assert steps == 6 if trial.visible else 12 <= steps <= 14  # long enough to see it diverge
        if not trial.visible:
            hidden_steps.add(steps)
        regimes.append("converges" if alpha < 1 else "oscillates" if alpha < 2 else "diverges")
    assert regimes == ["converges", "oscillates", "diverges"]
    assert len(hidden_steps) == 1  # shared: a cache keyed on steps meets it twice


def test_gd_reference_follows_the_closed_form():
    problem = get_problem("gd_trajectory")
    for alpha in (0.5, 1.5, 2.5):
        result = reference_outputs(problem, {"alpha": alpha, "steps": 6})["result"]
        np.testing.assert_allclose(result, 100.0 * (1.0 - (1.0 - alpha) ** np.arange(7)), rtol=1e-12)


def test_legendre_points_are_small_float64_vectors():
    for _, inputs in points("legendre_p3"):
        assert inputs["x"].dtype == np.float64 and inputs["x"].ndim == 1 and 3 <= inputs["x"].size <= 8
        assert inputs["grad_output"].shape == inputs["x"].shape


def test_hw2_toml_as_written():
    assignment = hw2()
    assert [config.problem.id for config in assignment.problems] == list(HW2_PROBLEMS)
    assert assignment.max_score == 100
    assert assignment.due is not None and assignment.due.tzinfo is not None
    assert assignment.late_policy == "penalty" and assignment.late_penalty_per_day > 0
    assert assignment.max_submissions_per_day is not None
    for config in assignment.problems:
        assert config.tolerance == 1e-4 and config.trials == 3
        assert {"numpy", "math"} <= config.allowed
        assert ("torch" in config.allowed) is (config.problem.id == "legendre_p3")
        assert set(config.weights) == {"type", "shape", "finite", "value", "stability", "gradcheck"}
