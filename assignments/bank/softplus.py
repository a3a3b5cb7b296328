"""Softplus with a sharpness parameter: its derivative is a sigmoid of beta x."""

from __future__ import annotations

import numpy as np

from graders.problem import Derivative, Mistake, Problem, Trial, TrialKind, register
from graders.sampling import any_shape, huge_entries_of_both_signs
from graders.torch_on_demand import torch

STATEMENT = r"""
The softplus with sharpness $\beta > 0$ is
$f(x) = \dfrac{1}{\beta} \ln\!\left(1 + e^{\beta x}\right)$, applied elementwise.

Write `softplus_grad(x, beta)` that returns $f'(x)$ elementwise, with the shape of `x`
(any shape); `beta` is a positive float. It must stay finite for inputs as large as $\pm 1000$.
"""

SHAPE = (2, 5)  # on the visible trials; the hidden ones use other, distinct sizes, as a vector or with a third axis


def sample(rng: np.random.Generator, trial: Trial) -> dict:
    # beta away from 1 (so "forgot beta inside the exponential" changes the value) and
    # from 2 and 1/2 (so "missing 1/beta" is not mistaken for "off by a factor 2").
    beta = float(rng.choice([1.5, 2.5, 3.0]))
    x = rng.uniform(-2.5, 2.5, size=any_shape(rng, trial, SHAPE, range(2, 8)))
    if trial.kind is TrialKind.STABILITY:
        x = huge_entries_of_both_signs(rng, x)
    return {"x": x, "beta": beta}


def forward(x: torch.Tensor, beta: torch.Tensor) -> torch.Tensor:
    # logaddexp(0, t) = ln(1 + e^t) without overflow; F.softplus would linearise above a threshold.
    return torch.logaddexp(torch.zeros_like(x), beta * x) / beta


def solution(x, beta):
    return 0.5 * (1.0 + np.tanh(0.5 * beta * x))  # sigmoid(beta x), stable for any x


def naive_exp(x, beta):
    e = np.exp(beta * x)
    return e / (1.0 + e)  # inf / inf = nan at large x


def beta_dropped_inside(x, beta):
    return 0.5 * (1.0 + np.tanh(0.5 * x))


def prefactor_kept(x, beta):
    return 0.5 * (1.0 + np.tanh(0.5 * beta * x)) / beta


def chain_factor_twice(x, beta):
    return beta * 0.5 * (1.0 + np.tanh(0.5 * beta * x))


def wrong_sign_exponent(x, beta):
    return 0.5 * (1.0 - np.tanh(0.5 * beta * x))  # sigmoid(-beta x)


def negated(x, beta):
    return -0.5 * (1.0 + np.tanh(0.5 * beta * x))


def log_sigmoid(x, beta):
    return np.log(0.5 * (1.0 + np.tanh(0.5 * beta * x)))


def scale_names(inputs: dict) -> dict:
    return {"beta": inputs["beta"]}


PROBLEM = register(Problem(
    id="softplus",
    title="Derivative of the softplus",
    statement=STATEMENT,
    function="softplus_grad",
    params=("x", "beta"),
    sample=sample,
    forward=forward,
    wrt=("x",),
    derivative=Derivative.ELEMENTWISE,
    stability=True,
    stability_cases=("inputs near +1000 and -1000",),
    solution=solution,
    scale_names=scale_names,
    sizes=lambda inputs: inputs["x"].shape,
    mistakes=(
        Mistake("naive_exp", "e^(beta x) / (1 + e^(beta x)) overflows; write it as 1 / (1 + e^(-beta x)) "
                "or with tanh", naive_exp, expect="not_finite"),
        Mistake("beta_dropped_inside", "it looks like sigmoid(x): the beta inside the exponential is missing",
                beta_dropped_inside),
        Mistake("prefactor_kept", "the chain rule's beta should cancel the 1/beta in front", prefactor_kept,
                expect="scaled"),
        Mistake("chain_factor_twice", "the 1/beta in front is missing", chain_factor_twice, expect="scaled"),
        Mistake("wrong_sign_exponent", "it looks like sigmoid(-beta x): check the sign in the exponential",
                wrong_sign_exponent),
        Mistake("negated", "the derivative of ln(1 + e^t) is positive", negated, expect="sign_flipped"),
        Mistake("log_sigmoid", "it looks like ln(sigmoid(beta x)): that is related to f itself, not its "
                "derivative", log_sigmoid),
    ),
))
