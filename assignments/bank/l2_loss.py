"""Squared error of a linear model on one example, differentiated in the weights."""

from __future__ import annotations

import numpy as np

from graders.problem import Derivative, Mistake, Problem, Trial, register
from graders.sampling import column, free_sizes, rejection_sample, shows_every_mistake
from graders.torch_on_demand import torch

STATEMENT = r"""
For weights $w \in \mathbb{R}^n$, one example $x \in \mathbb{R}^n$ (both column vectors,
shape `(n, 1)`) and a target $y \in \mathbb{R}$ (a Python float), the L2 loss is
$L(w) = \tfrac{1}{2}\left(w^\top x - y\right)^2$.

Write `l2_loss_grad(w, x, y)` that returns $\partial L / \partial w$ in denominator layout:
shape `(n, 1)`, like `w`.
"""

N = 5  # on the visible trials; the hidden ones use other sizes


def _draw(rng: np.random.Generator, n: int) -> dict:
    return {"w": column(rng, n), "x": column(rng, n), "y": float(rng.normal(0.0, 2.0))}


def _residual_not_tiny(point: dict) -> bool:
    # A residual near 0 makes the gradient near 0, where every answer looks alike.
    return abs(float((point["w"].T @ point["x"])[0, 0]) - point["y"]) >= 0.3 \
        and shows_every_mistake(point, PARAMS, solution, MISTAKES)


def sample(rng: np.random.Generator, trial: Trial) -> dict:
    (n,) = free_sizes(rng, trial, (N,), range(3, 9))
    return rejection_sample(rng, lambda r: _draw(r, n), _residual_not_tiny)


def forward(w: torch.Tensor, x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    return 0.5 * ((w.T @ x).squeeze() - y) ** 2


def solution(w, x, y):
    residual = (w.T @ x).item() - y
    return residual * x


def half_dropped(w, x, y):
    return 2.0 * ((w.T @ x).item() - y) * x


def residual_reversed(w, x, y):
    return (y - (w.T @ x).item()) * x


def wrt_x(w, x, y):
    return ((w.T @ x).item() - y) * w


def residual_only(w, x, y):
    return np.full_like(w, (w.T @ x).item() - y)


def target_dropped(w, x, y):
    return (w.T @ x).item() * x


def row_vector(w, x, y):
    return ((w.T @ x).item() - y) * x.T


PARAMS = ("w", "x", "y")
MISTAKES = (half_dropped, residual_reversed, wrt_x, residual_only, target_dropped, row_vector)

PROBLEM = register(Problem(
    id="l2_loss",
    title="Gradient of the L2 loss (one example)",
    statement=STATEMENT,
    function="l2_loss_grad",
    params=PARAMS,
    sample=sample,
    forward=forward,
    wrt=("w",),
    derivative=Derivative.GRADIENT,
    solution=solution,
    sizes=lambda inputs: (inputs["w"].shape[0],),
    mistakes=(
        Mistake("half_dropped", "the 1/2 cancels the 2 from the square; do not keep both", half_dropped,
                expect="scaled"),
        Mistake("residual_reversed", "d/dw of (w^T x - y) is +x: keep the residual as w^T x - y",
                residual_reversed, expect="sign_flipped"),
        Mistake("wrt_x", "it looks like (w^T x - y) w: that is the gradient with respect to x, not w", wrt_x),
        Mistake("residual_only", "the chain rule's inner derivative d(w^T x)/dw = x is missing", residual_only),
        # With one example every answer of the form c * x is a multiple of the gradient, by a
        # factor that means nothing: a wrong value, with its hint.
        Mistake("target_dropped", "it looks like (w^T x) x: the -y term of the residual is missing", target_dropped),
        Mistake("row_vector", "x^T is (1, n): the gradient has the shape of w", row_vector, expect="transposed"),
    ),
))
