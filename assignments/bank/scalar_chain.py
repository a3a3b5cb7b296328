"""Partial derivatives of y = e^(xz) + xz/ln(x) + sin(ln x)/(xz) (course notes: the
chain-rule example worked with finite differences, symbolically and by autodiff)."""

from __future__ import annotations

import math

import numpy as np

from graders.problem import Derivative, Mistake, Problem, Returns, Trial, register
from graders.sampling import rejection_sample, shows_every_mistake
from graders.torch_on_demand import torch

STATEMENT = r"""
For real numbers $x > 1$ and $z \neq 0$ (Python floats), let
$$y = f(x, z) = e^{xz} + \frac{xz}{\ln x} + \frac{\sin(\ln x)}{xz}.$$

Write `scalar_chain_grad(x, z)` that returns the tuple
$\left(\dfrac{\partial y}{\partial x}, \dfrac{\partial y}{\partial z}\right)$ of two numbers
(Python floats, or numpy scalars or arrays that hold one number,
such as the notes' $1 \times 1$).
"""

SHARE = 0.05  # each of the three terms moves the gradient by at least 5 % of its size


def term_gradients(x: float, z: float) -> list[tuple[float, float]]:
    """(d/dx, d/dz) of each of the three terms, to pick points where none is negligible."""
    log = math.log(x)
    return [
        (z * math.exp(x * z), x * math.exp(x * z)),
        (z * (log - 1.0) / log**2, x / log),
        ((math.cos(log) - math.sin(log)) / (x * x * z), -math.sin(log) / (x * z * z)),
    ]


def _every_term_matters(point: dict) -> bool:
    # Where e^(xz) dominates (as at the notes' x = 2, z = 3) a dropped term would
    # change the answer by less than the tolerance: such points hide mistakes.
    parts = np.array(term_gradients(point["x"], point["z"]))
    total = float(np.linalg.norm(parts.sum(axis=0)))
    return all(float(np.linalg.norm(part)) >= SHARE * total for part in parts) \
        and shows_every_mistake(point, PARAMS, solution, MISTAKES)


def sample(rng: np.random.Generator, trial: Trial) -> dict:
    return rejection_sample(
        rng,
        lambda r: {"x": round(float(r.uniform(1.3, 3.5)), 3),
                   "z": round(float(r.choice([-1.0, 1.0]) * r.uniform(0.3, 1.5)), 3)},
        _every_term_matters,
    )


def forward(x: torch.Tensor, z: torch.Tensor) -> torch.Tensor:
    return torch.exp(x * z) + x * z / torch.log(x) + torch.sin(torch.log(x)) / (x * z)


def solution(x, z):
    log = np.log(x)
    e = np.exp(x * z)
    dx = z * e + z * (log - 1.0) / log**2 + (np.cos(log) - np.sin(log)) / (x * x * z)
    dz = x * e + x / log - np.sin(log) / (x * z * z)
    return dx, dz


def inner_derivative_of_exp_dropped(x, z):
    log = np.log(x)
    e = np.exp(x * z)
    dx = e + z * (log - 1.0) / log**2 + (np.cos(log) - np.sin(log)) / (x * x * z)
    dz = e + x / log - np.sin(log) / (x * z * z)
    return dx, dz


def quotient_rule_sign(x, z):
    log = np.log(x)
    e = np.exp(x * z)
    dx = z * e + z * (log + 1.0) / log**2 + (np.cos(log) - np.sin(log)) / (x * x * z)
    dz = x * e + x / log - np.sin(log) / (x * z * z)
    return dx, dz


def inner_derivative_of_log_dropped(x, z):
    log = np.log(x)
    e = np.exp(x * z)
    dx = z * e + z * (log - 1.0) / log**2 + (x * np.cos(log) - np.sin(log)) / (x * x * z)
    dz = x * e + x / log - np.sin(log) / (x * z * z)
    return dx, dz


def last_term_dropped(x, z):
    log = np.log(x)
    e = np.exp(x * z)
    return z * e + z * (log - 1.0) / log**2, x * e + x / log


def swapped(x, z):
    log = np.log(x)
    e = np.exp(x * z)
    dx = z * e + z * (log - 1.0) / log**2 + (np.cos(log) - np.sin(log)) / (x * x * z)
    dz = x * e + x / log - np.sin(log) / (x * z * z)
    return dz, dx


PARAMS = ("x", "z")
MISTAKES = (inner_derivative_of_exp_dropped, quotient_rule_sign, inner_derivative_of_log_dropped, last_term_dropped,
            swapped)

PROBLEM = register(Problem(
    id="scalar_chain",
    title="Partial derivatives of e^(xz) + xz/ln(x) + sin(ln x)/(xz)",
    statement=STATEMENT,
    function="scalar_chain_grad",
    params=PARAMS,
    sample=sample,
    forward=forward,
    wrt=("x", "z"),
    derivative=Derivative.GRADIENT,
    returns=Returns.TUPLE,
    solution=solution,
    mistakes=(
        Mistake("inner_derivative_of_exp_dropped", "d e^(xz)/dx = z e^(xz): the chain rule's inner derivative "
                "of xz is missing", inner_derivative_of_exp_dropped),
        Mistake("quotient_rule_sign", "d/dx [x / ln x] = (ln x - 1) / (ln x)^2: check the sign in the quotient "
                "rule", quotient_rule_sign),
        Mistake("inner_derivative_of_log_dropped", "d sin(ln x)/dx = cos(ln x) / x: the 1/x from ln x is missing",
                inner_derivative_of_log_dropped),
        Mistake("last_term_dropped", "the derivative of the term sin(ln x)/(xz) is missing", last_term_dropped),
        Mistake("swapped", "the two partial derivatives are swapped: return (dy/dx, dy/dz) in that order", swapped),
    ),
))
