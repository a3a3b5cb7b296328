"""Partial derivatives of tanh(ln(1 + z 2x / sin y)) (course notes: computational graphs)."""

from __future__ import annotations

import math

import numpy as np

from graders.problem import Derivative, Mistake, Problem, Returns, Trial, register
from graders.sampling import rejection_sample, shows_every_mistake
from graders.torch_on_demand import torch

STATEMENT = r"""
For real numbers $x, y, z$ (Python floats) with $\sin y \neq 0$ and
$1 + \dfrac{2xz}{\sin y} > 0$, let
$$f(x, y, z) = \tanh\!\left(\ln\!\left[1 + z\,\frac{2x}{\sin y}\right]\right).$$

Write `tanh_log_grad(x, y, z)` that returns the tuple
$\left(\dfrac{\partial f}{\partial x}, \dfrac{\partial f}{\partial y}, \dfrac{\partial f}{\partial z}\right)$
of three numbers (Python floats, or numpy scalars or arrays that hold one number,
such as the notes' $1 \times 1$).
"""


def _stable_domain(point: dict) -> bool:
    sin, cos = math.sin(point["y"]), math.cos(point["y"])
    if abs(sin) < 0.4 or abs(cos) < 0.2:  # the y-derivative carries cos y: keep it visible
        return False
    inside = 1.0 + 2.0 * point["x"] * point["z"] / sin
    # The log is defined and tanh is not saturated; and no catalogued mistake hides here.
    return 0.3 <= inside <= 4.0 and shows_every_mistake(point, PARAMS, solution, MISTAKES)


def sample(rng: np.random.Generator, trial: Trial) -> dict:
    def signed(r: np.random.Generator) -> float:
        return round(float(r.choice([-1.0, 1.0]) * r.uniform(0.2, 1.5)), 3)

    return rejection_sample(
        rng,
        lambda r: {"x": signed(r), "y": round(float(r.uniform(0.4, 2.75)), 3), "z": signed(r)},
        _stable_domain,
    )


def forward(x: torch.Tensor, y: torch.Tensor, z: torch.Tensor) -> torch.Tensor:
    return torch.tanh(torch.log(1.0 + z * 2.0 * x / torch.sin(y)))


def solution(x, y, z):
    u = 1.0 + 2.0 * x * z / np.sin(y)
    f = np.tanh(np.log(u))
    outer = (1.0 - f**2) / u  # d tanh(ln u) / du
    return (outer * 2.0 * z / np.sin(y),
            outer * (-2.0 * x * z * np.cos(y) / np.sin(y) ** 2),
            outer * 2.0 * x / np.sin(y))


def log_derivative_dropped(x, y, z):
    u = 1.0 + 2.0 * x * z / np.sin(y)
    outer = 1.0 - np.tanh(np.log(u)) ** 2
    return (outer * 2.0 * z / np.sin(y),
            outer * (-2.0 * x * z * np.cos(y) / np.sin(y) ** 2),
            outer * 2.0 * x / np.sin(y))


def tanh_derivative_not_squared(x, y, z):
    u = 1.0 + 2.0 * x * z / np.sin(y)
    outer = (1.0 - np.tanh(np.log(u))) / u
    return (outer * 2.0 * z / np.sin(y),
            outer * (-2.0 * x * z * np.cos(y) / np.sin(y) ** 2),
            outer * 2.0 * x / np.sin(y))


def cos_dropped(x, y, z):
    u = 1.0 + 2.0 * x * z / np.sin(y)
    outer = (1.0 - np.tanh(np.log(u)) ** 2) / u
    return (outer * 2.0 * z / np.sin(y),
            outer * (-2.0 * x * z / np.sin(y) ** 2),
            outer * 2.0 * x / np.sin(y))


def sine_derivative_as_cos(x, y, z):
    u = 1.0 + 2.0 * x * z / np.sin(y)
    outer = (1.0 - np.tanh(np.log(u)) ** 2) / u
    return (outer * 2.0 * z / np.sin(y),
            outer * 2.0 * x * z / np.cos(y),
            outer * 2.0 * x / np.sin(y))


PARAMS = ("x", "y", "z")
MISTAKES = (log_derivative_dropped, tanh_derivative_not_squared, cos_dropped, sine_derivative_as_cos)

PROBLEM = register(Problem(
    id="tanh_log",
    title="Partial derivatives of tanh(ln(1 + 2xz / sin y))",
    statement=STATEMENT,
    function="tanh_log_grad",
    params=PARAMS,
    sample=sample,
    forward=forward,
    wrt=("x", "y", "z"),
    derivative=Derivative.GRADIENT,
    returns=Returns.TUPLE,
    solution=solution,
    mistakes=(
        Mistake("log_derivative_dropped", "d ln(u) / du = 1/u: the factor 1 / (1 + 2xz / sin y) is missing",
                log_derivative_dropped),
        Mistake("tanh_derivative_not_squared", "d tanh(g) / dg = 1 - tanh(g)^2: the tanh must be squared",
                tanh_derivative_not_squared),
        Mistake("cos_dropped", "d (1 / sin y) / dy = -cos y / sin(y)^2: the cos y is missing", cos_dropped),
        Mistake("sine_derivative_as_cos", "1 / sin y is not differentiated to 1 / cos y: d (1 / sin y) / dy "
                "= -cos y / sin(y)^2", sine_derivative_as_cos),
    ),
))
