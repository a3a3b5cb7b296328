"""Every trial set the grader can draw, for every bank problem: free sizes that the
hidden trials change, stability trials of both signs, and answers that hard-code
what the visible trial showed."""

import textwrap

import numpy as np
import pytest

from graders.assignment import DEFAULT_HIDDEN_POOL, DEFAULT_SEED, ad_hoc
from graders.engine import grade_source, prepare
from graders.problem import TrialKind, all_problems, get_problem
from tests.assignments.hw2_fixtures import hw2

SEEDS = (DEFAULT_SEED, hw2().seed)
SIZED = sorted(p.id for p in all_problems() if p.sizes is not None)
# The statement fixes every size of these (numbers in, numbers out).
UNSIZED = {"scalar_chain", "tanh_log", "tanh_regression"}


def test_every_problem_with_free_sizes_declares_them():
    assert set(SIZED) == {p.id for p in all_problems()} - UNSIZED


@pytest.mark.parametrize("problem_id", SIZED)
def test_hidden_trials_use_sizes_the_visible_ones_do_not(problem_id):
    problem = get_problem(problem_id)
    for seed in SEEDS:
        hidden_sizes = set()
        for hidden_set in range(DEFAULT_HIDDEN_POOL):
            prepared = prepare(problem, seed, 3, hidden_set)
            visible = {tuple(problem.sizes(item.inputs)) for item in prepared if item.trial.visible}
            assert len(visible) == 1  # the visible trials (regular and stability) agree
            shown = set(next(iter(visible)))
            for item in prepared:
                sizes = tuple(problem.sizes(item.inputs))
                assert len(set(sizes)) == len(sizes), f"{item.trial.label}: sizes {sizes} are not distinct"
                if not item.trial.visible:
                    assert not set(sizes) & shown, f"hidden set {hidden_set}: {sizes} reuses a visible size"
                    hidden_sizes.add(sizes)
        assert len(hidden_sizes) >= 3, f"seed {seed}: the hidden sizes hardly vary: {hidden_sizes}"


@pytest.mark.parametrize("problem_id", SIZED)
def test_every_trial_set_calls_the_function_twice_on_one_shape_with_other_values(problem_id):
    # A cache keyed on x.shape (or on steps) returns a stale answer on the second call.
    problem = get_problem(problem_id)
    for seed in SEEDS:
        for hidden_set in range(16):
            prepared = prepare(problem, seed, 3, hidden_set)
            seen: dict[tuple, int] = {}
            for item in prepared:
                shape = (tuple(np.shape(value) for value in item.inputs.values()), tuple(problem.sizes(item.inputs)))
                seen[shape] = seen.get(shape, 0) + 1
            assert max(seen.values()) > 1, f"seed {seed}, hidden set {hidden_set}: every call has its own shape"


@pytest.mark.parametrize("problem_id", SIZED)
def test_matrices_stay_non_square(problem_id):
    problem = get_problem(problem_id)
    for hidden_set in range(8):
        for item in prepare(problem, DEFAULT_SEED, 3, hidden_set):
            for name, value in item.inputs.items():
                if isinstance(value, np.ndarray) and value.ndim == 2 and min(value.shape) > 1:
                    assert value.shape[0] != value.shape[1] or problem_id == "quadratic_form", (name, value.shape)


STABLE = sorted(p.id for p in all_problems() if p.stability)


def test_every_statement_that_promises_no_overflow_gets_stability_trials():
    for problem in all_problems():
        assert problem.stability is ("1000" in problem.statement), problem.id


@pytest.mark.parametrize("problem_id", STABLE)
def test_stability_trials_cover_both_signs(problem_id):
    problem = get_problem(problem_id)
    signs = set()
    for item in prepare(problem, DEFAULT_SEED, 3):
        if item.trial.kind is not TrialKind.STABILITY:
            continue
        inputs = item.inputs
        if problem_id in ("sigmoid", "softplus"):
            t = inputs["x"] * inputs.get("beta", 1.0)
            signs |= {np.sign(v) for v in (t.max(), t.min()) if abs(v) >= 995}
        elif problem_id == "softmax":
            signs.add(np.sign(inputs["x"].mean()) if abs(inputs["x"].mean()) > 900 else 0)
        elif problem_id == "one_layer_net":
            signs.add(np.sign(inputs["b2"].mean()) if abs(inputs["b2"].mean()) > 900 else 0)
        elif problem_id == "logistic":
            margin = inputs["y"] * (inputs["w"].T @ inputs["x"]).item()
            signs.add(np.sign(margin) if 994 < abs(margin) < 1006 else 0)
        else:
            pytest.fail(f"{problem_id}: no rule for its stability trials in this test")
    assert signs == {-1.0, 1.0}


# Answers that are right on the visible trial only: they hard-code a size it showed.
HARD_CODED = {
    "softmax": """
        import numpy as np

        def softmax_jacobian(x):
            e = np.exp(x - x.max())
            s = e / e.sum()
            J = np.zeros((5, 5))
            for i in range(5):
                for j in range(5):
                    J[i, j] = s[i, 0] * ((i == j) - s[j, 0])
            return J
        """,
    "l2_loss_batch": """
        import numpy as np

        def l2_loss_batch_grad(w, X, y):
            return X.T @ (X @ w - y) / 6.0
        """,
    "sigmoid": """
        import numpy as np

        def sigmoid_grad(x):
            s = 0.5 * (1 + np.tanh(0.5 * x))
            return (s * (1 - s)).reshape(3, 4)
        """,
    "gd_trajectory": """
        import numpy as np

        def gd_iterates(alpha, steps):
            w = [0.0]
            for _ in range(6):
                w.append(w[-1] - alpha * (w[-1] - 100.0))
            return np.array(w)
        """,
    "one_layer_net": """
        import numpy as np

        def one_layer_net_grads(x, y, W, b1, U, b2):
            z = W @ x + b1
            h = np.maximum(z, 0)
            theta = U @ h + b2
            e = np.exp(theta - theta.max())
            d_theta = e / e.sum() - y
            d_z = (U.T @ d_theta) * (z > 0)
            dW = np.zeros((4, 5))
            for i in range(4):
                for j in range(5):
                    dW[i, j] = d_z[i, 0] * x[j, 0]
            return {"W": dW, "b1": d_z, "U": d_theta @ h.T, "b2": d_theta, "x": W.T @ d_z}
        """,
}


@pytest.mark.parametrize("problem_id", sorted(HARD_CODED))
def test_an_answer_that_hard_codes_the_visible_sizes_fails_a_hidden_trial(problem_id, sandbox_runner):
    source = textwrap.dedent(HARD_CODED[problem_id])
    for seed in SEEDS:
        problem = get_problem(problem_id)
        document = grade_source(source, ad_hoc([problem], seed=seed), runner=sandbox_runner)
        result = document["problems"][0]
        visible = [c for c in result["checks"] if c["category"] == "value" and c["visible"]]
        hidden = [c for c in result["checks"] if c["category"] == "value" and not c["visible"]]
        assert all(c["passed"] for c in visible), visible  # right where the student looked
        assert not all(c["passed"] for c in hidden)
        assert result["score"] < result["max_score"]


ANY_SHAPE = sorted(p.id for p in all_problems() if "any shape" in p.statement)


@pytest.mark.parametrize("problem_id", ANY_SHAPE)
def test_a_statement_that_says_any_shape_gets_hidden_trials_with_fewer_and_more_axes(problem_id):
    # Code written for matrices only must fail somewhere: two nested loops over shape[0] and
    # shape[1] with a numpy body still work on three axes, and fail only on a vector.
    problem = get_problem(problem_id)
    for seed in SEEDS:
        for hidden_set in range(8):
            prepared = prepare(problem, seed, 3, hidden_set)
            (visible,) = {item.inputs["x"].ndim for item in prepared if item.trial.visible}
            hidden = {item.inputs["x"].ndim for item in prepared if not item.trial.visible}
            assert hidden == {visible - 1, visible + 1}, f"seed {seed}, hidden set {hidden_set}: {hidden} axes"
