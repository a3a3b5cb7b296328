"""The self-test must fail when the bank is not sound: it is what CI relies on."""

import dataclasses

import numpy as np

from graders.diagnosis import Code
from graders.problem import Mistake, get_problem
from graders.selftest import check_pool, check_problem, gradings, solution_source, variants_for

SEED = 7


def wrong_solution(x):
    s = 1.0 / (1.0 + np.exp(-x))
    return s


def mislabelled_mistake(x):
    s = 1.0 / (1.0 + np.exp(-x))
    return -s * (1.0 - s)


def test_the_bank_solution_passes_and_every_variant_gets_its_diagnosis(runner):
    outcomes = check_problem(get_problem("softmax"), runner, SEED)
    assert all(outcome.ok for outcome in outcomes), [o for o in outcomes if not o.ok]
    names = {outcome.variant for outcome in outcomes}
    # The softmax Jacobian is symmetric: its transpose is not a mistake, so it is skipped.
    assert {"correct", "sign_flipped", "scaled_x2", "scaled_x0.5", "diagonal_only"} <= names
    assert "transposed" not in names


def test_a_wrong_reference_solution_is_reported(runner):
    broken = dataclasses.replace(get_problem("sigmoid"), id="sigmoid_broken", solution=wrong_solution, mistakes=())
    correct = next(o for o in check_problem(broken, runner, SEED) if o.variant == "correct")
    assert not correct.ok and correct.score < correct.max_score


def test_a_catalog_mistake_with_the_wrong_expected_diagnosis_is_reported(runner):
    mistake = Mistake("claims_wrong_value", "this is really a sign flip", mislabelled_mistake, expect="wrong_value")
    broken = dataclasses.replace(get_problem("sigmoid"), id="sigmoid_mislabelled", mistakes=(mistake,))
    outcome = next(o for o in check_problem(broken, runner, SEED) if o.variant == "mistake:claims_wrong_value")
    assert not outcome.ok and outcome.got is Code.SIGN_FLIPPED


def test_variants_are_real_source_files_that_define_the_function():
    problem = get_problem("sigmoid")
    for variant in variants_for(problem, SEED):
        namespace: dict = {}
        exec(compile(variant.source, "variant.py", "exec"), namespace)  # our own generated source
        x = np.linspace(-2, 2, 6).reshape(2, 3)
        assert np.asarray(namespace["sigmoid_grad"](x)).size == 6
    assert "def solution" in solution_source(problem)


# ---------------------------------------------------------------- the pool proof

POOL = 16  # hidden trial sets per check here: enough for a weak sampler to show itself


def _mistake(problem, name):
    return next(m for m in problem.mistakes if m.name == name)


def test_the_bank_passes_the_pool_proof_for_a_problem_with_a_point_dependent_mistake():
    outcomes = check_pool(get_problem("one_layer_net"), pool=POOL)
    assert [o.sets for o in outcomes] == [POOL]
    assert all(o.ok for o in outcomes), [o.failures for o in outcomes]


def test_a_sampler_that_lets_the_relu_bias_mistake_through_is_caught():
    """The mask computed from W x alone passes wherever no unit's sign flips with b1:
    on about half the points, so a sampler that does not ask for such a unit fails."""
    from assignments.bank import one_layer_net as module
    from graders.sampling import free_sizes, rejection_sample

    def weak_sample(rng, trial):
        dx, dh, nc = free_sizes(rng, trial, (module.DX, module.DH, module.NC), range(2, 9))

        def acceptable(point):
            z = point["W"] @ point["x"] + point["b1"]
            return bool(np.abs(z).min() >= 0.1 and (z > 0).any() and (z <= -0.5).any())

        return rejection_sample(rng, lambda r: module._draw(r, dx, dh, nc), acceptable)

    problem = get_problem("one_layer_net")
    weak = dataclasses.replace(problem, id="one_layer_net_weak", sample=weak_sample, stability=False,
                               mistakes=(_mistake(problem, "mask_without_bias"),))
    (outcome,) = check_pool(weak, pool=POOL)
    assert not outcome.ok
    assert any("mask_without_bias passes" in what for _, what in outcome.failures)


def test_hidden_trials_that_reuse_the_visible_sizes_are_caught():
    problem = get_problem("sigmoid")

    def fixed_size(rng, trial):
        return {"x": rng.uniform(-4.0, 4.0, size=(3, 4))}

    fixed = dataclasses.replace(problem, id="sigmoid_fixed_size", sample=fixed_size, stability=False, mistakes=())
    (outcome,) = check_pool(fixed, pool=4)
    assert any("reuses" in what or "not distinct" in what for _, what in outcome.failures)


def test_hidden_trials_that_never_repeat_a_shape_let_a_cache_keyed_on_the_shape_through():
    """Each hidden trial drawing its own sizes (no stability trial at the visible sizes
    either): an answer that keeps its results by the shapes of its inputs is right on
    every call, and the pool proof must say so."""
    from assignments.bank import l2_loss as module

    def sizes_per_trial(rng, trial):
        return module.sample(rng, dataclasses.replace(trial, sizes_seed=None))

    problem = get_problem("l2_loss")
    unshared = dataclasses.replace(problem, id="l2_loss_unshared_sizes", sample=sizes_per_trial, mistakes=())
    (outcome,) = check_pool(unshared, pool=4)
    assert any("by the shapes of its inputs passes every trial" in what for _, what in outcome.failures)
    (sound,) = check_pool(problem, pool=4)
    assert sound.ok, sound.failures


def test_hidden_trials_that_repeat_the_visible_one_let_a_memorised_answer_through():
    problem = get_problem("tanh_regression")

    def always_the_same(rng, trial):
        return {"w": 0.7, "b": -0.3, "x": 1.7, "y": 0.9}

    repeated = dataclasses.replace(problem, id="tanh_regression_repeated", sample=always_the_same, mistakes=())
    (outcome,) = check_pool(repeated, pool=2)
    assert {what for _, what in outcome.failures} == {
        "an answer memorised from the visible trial passes every hidden trial"}


def test_a_mistake_no_hidden_trial_can_show_is_reported():
    problem = get_problem("logistic")
    label = _mistake(problem, "label_dropped")
    only_visible = dataclasses.replace(label, observable=lambda inputs: False)
    changed = dataclasses.replace(problem, id="logistic_unobservable", mistakes=(only_visible,))
    outcomes = check_pool(changed, pool=2)
    assert all(any("no hidden trial can show it" in what for _, what in o.failures) for o in outcomes)


def test_gradings_cover_the_default_and_every_assignment_seed():
    from assignments import load_assignment

    hw1, hw2 = load_assignment("hw1"), load_assignment("hw2")
    seeds = [g.seed for g in gradings(get_problem("logistic"), [hw1, hw2])]
    assert seeds == [20260901, hw2.seed]
    # hw1 grades sigmoid with the default seed and policy: one grading, not two.
    assert len(gradings(get_problem("sigmoid"), [hw1, hw2])) == 1


def test_the_pool_proof_runs_the_banks_autograd_function_classes():
    # legendre_p3's solution and mistakes are plain classes (graders.torch_on_demand.AutogradFunction),
    # made real torch.autograd.Function subclasses only when run.
    outcomes = check_pool(get_problem("legendre_p3"), pool=2)
    assert all(o.ok for o in outcomes), [o.failures for o in outcomes]
    assert {o.sets for o in outcomes} == {2}


def test_the_verbose_listing_keeps_its_columns_and_counts_in_the_singular(runner, capsys):
    from graders.selftest import run_selftest

    assert run_selftest(runner, only=["sigmoid"], verbose=True, pool=1) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[-1] == "selftest: 1 problem, 0 failures"
    variants = [line for line in lines if line.startswith("    ok   ") and " expected " in line]
    assert any("plus_instead_of_minus" in line for line in variants)  # longer than the old 28-character column
    assert len({line.index(" expected ") for line in variants}) == 1, variants
