"""Gradient of (y - tanh(w x + b))^2 in w and b (course notes: the PyTorch autograd exercise)."""

from __future__ import annotations

import math

import numpy as np

from graders.problem import Derivative, Mistake, Problem, Returns, Trial, register
from graders.sampling import rejection_sample, shows_every_mistake
from graders.torch_on_demand import torch

STATEMENT = r"""
A one-unit model $\hat y = \tanh(w x + b)$ with real numbers $w, b, x, y$ (Python floats) has
the squared-error loss
$$L(w, b) = \left(y - \tanh(w x + b)\right)^2.$$

Write `tanh_regression_grad(w, b, x, y)` that returns the tuple
$\left(\dfrac{\partial L}{\partial w}, \dfrac{\partial L}{\partial b}\right)$ of two numbers
(Python floats, or numpy scalars or arrays that hold one number,
such as the notes' $1 \times 1$).
"""


def _informative(point: dict) -> bool:
    prediction = math.tanh(point["w"] * point["x"] + point["b"])
    # A residual near 0 makes both derivatives near 0; a saturated tanh hides a missing 1 - tanh^2;
    # dL/dw = x dL/db, so |x| near 1 makes them look alike and |x| near 1/2, 2, 1/3, 1/4 would
    # turn a forgotten x into "off by a factor 2" instead of its own hint.
    x_is_plain = all(abs(abs(point["x"]) - ratio) >= 0.05 for ratio in (0.25, 1 / 3, 0.5, 2.0))
    return abs(point["y"] - prediction) >= 0.3 and abs(prediction) <= 0.9 and abs(abs(point["x"]) - 1.0) >= 0.3 \
        and x_is_plain and shows_every_mistake(point, PARAMS, solution, MISTAKES)


def sample(rng: np.random.Generator, trial: Trial) -> dict:
    return rejection_sample(
        rng,
        lambda r: {name: round(float(r.uniform(-2.0, 2.0)), 3) for name in ("w", "b", "x", "y")},
        _informative,
    )


def forward(w: torch.Tensor, b: torch.Tensor, x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    return (y - torch.tanh(w * x + b)) ** 2


def solution(w, b, x, y):
    t = np.tanh(w * x + b)
    d_b = -2.0 * (y - t) * (1.0 - t**2)
    return d_b * x, d_b


def input_dropped(w, b, x, y):
    t = np.tanh(w * x + b)
    d_b = -2.0 * (y - t) * (1.0 - t**2)
    return d_b, d_b


def tanh_derivative_dropped(w, b, x, y):
    t = np.tanh(w * x + b)
    return -2.0 * (y - t) * x, -2.0 * (y - t)


def tanh_derivative_not_squared(w, b, x, y):
    t = np.tanh(w * x + b)
    d_b = -2.0 * (y - t) * (1.0 - t)
    return d_b * x, d_b


def factor_2_dropped(w, b, x, y):
    t = np.tanh(w * x + b)
    d_b = -(y - t) * (1.0 - t**2)
    return d_b * x, d_b


def outer_minus_dropped(w, b, x, y):
    t = np.tanh(w * x + b)
    d_b = 2.0 * (y - t) * (1.0 - t**2)
    return d_b * x, d_b


PARAMS = ("w", "b", "x", "y")
# tanh(w x + b) near 0 makes a dropped 1 - tanh^2 invisible: no trial may hide a mistake.
MISTAKES = (input_dropped, tanh_derivative_dropped, tanh_derivative_not_squared, factor_2_dropped,
            outer_minus_dropped)

PROBLEM = register(Problem(
    id="tanh_regression",
    title="Gradient of (y - tanh(wx + b))^2",
    statement=STATEMENT,
    function="tanh_regression_grad",
    params=PARAMS,
    sample=sample,
    forward=forward,
    wrt=("w", "b"),
    derivative=Derivative.GRADIENT,
    returns=Returns.TUPLE,
    solution=solution,
    mistakes=(
        Mistake("input_dropped", "d (w x + b) / dw = x: dL/dw is x times dL/db", input_dropped),
        Mistake("tanh_derivative_dropped", "the chain rule needs d tanh(u) / du = 1 - tanh(u)^2",
                tanh_derivative_dropped),
        Mistake("tanh_derivative_not_squared", "d tanh(u) / du = 1 - tanh(u)^2: the tanh must be squared",
                tanh_derivative_not_squared),
        Mistake("factor_2_dropped", "d (y - t)^2 / dt = -2 (y - t): the factor 2 is missing", factor_2_dropped,
                expect="scaled"),
        Mistake("outer_minus_dropped", "d (y - t)^2 / dt = -2 (y - t): the minus sign from the inner "
                "derivative of y - t is missing", outer_minus_dropped, expect="sign_flipped"),
    ),
))
