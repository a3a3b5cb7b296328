"""The self-test must fail when the bank is not sound: it is what CI relies on."""

import dataclasses

import numpy as np

from graders.diagnosis import Code
from graders.problem import Mistake, get_problem
from graders.selftest import check_problem, solution_source, variants_for

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
