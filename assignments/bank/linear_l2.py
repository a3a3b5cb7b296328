"""Gradients of ||W x + b - y||^2 in W, b and x (course notes, tutorial 1)."""

from __future__ import annotations

import numpy as np

from graders.problem import Derivative, Mistake, Problem, Returns, Trial, register
from graders.sampling import column, free_sizes, matrix
from graders.torch_on_demand import torch

STATEMENT = r"""
A linear layer $z = W x + b$ with $W \in \mathbb{R}^{m \times n}$, $b \in \mathbb{R}^m$,
$x \in \mathbb{R}^n$ and a target $y \in \mathbb{R}^m$ (vectors are columns: `b` and `y`
are `(m, 1)`, `x` is `(n, 1)`) is scored by
$$L = \lVert z - y \rVert^2.$$

Write `linear_l2_grads(W, b, x, y)` that returns a dict with the keys `"W"`, `"b"` and
`"x"`: $\partial L / \partial W$, $\partial L / \partial b$ and $\partial L / \partial x$,
each with the shape of its variable (denominator layout).
"""

M, N = 3, 5  # m != n: a transposed answer has the wrong shape; hidden trials use other sizes


def sample(rng: np.random.Generator, trial: Trial) -> dict:
    m, n = free_sizes(rng, trial, (M, N), range(2, 8))
    return {"W": matrix(rng, m, n), "b": column(rng, m), "x": column(rng, n), "y": column(rng, m)}


def forward(W: torch.Tensor, b: torch.Tensor, x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    return ((W @ x + b - y) ** 2).sum()


def solution(W, b, x, y):
    r = W @ x + b - y
    return {"W": 2.0 * r @ x.T, "b": 2.0 * r, "x": 2.0 * W.T @ r}


def factor_2_dropped(W, b, x, y):
    r = W @ x + b - y
    return {"W": r @ x.T, "b": r, "x": W.T @ r}


def bias_dropped_from_residual(W, b, x, y):
    r = W @ x - y
    return {"W": 2.0 * r @ x.T, "b": 2.0 * r, "x": 2.0 * W.T @ r}


def target_dropped(W, b, x, y):
    r = W @ x + b
    return {"W": 2.0 * r @ x.T, "b": 2.0 * r, "x": 2.0 * W.T @ r}


def weight_gradient_transposed(W, b, x, y):
    r = W @ x + b - y
    return {"W": 2.0 * x @ r.T, "b": 2.0 * r, "x": 2.0 * W.T @ r}


def residual_dropped_in_x(W, b, x, y):
    r = W @ x + b - y
    return {"W": 2.0 * r @ x.T, "b": 2.0 * r, "x": 2.0 * W.T @ np.ones_like(r)}


PROBLEM = register(Problem(
    id="linear_l2",
    title="Gradients of the squared error of a linear layer",
    statement=STATEMENT,
    function="linear_l2_grads",
    params=("W", "b", "x", "y"),
    sample=sample,
    forward=forward,
    wrt=("W", "b", "x"),
    derivative=Derivative.GRADIENT,
    returns=Returns.DICT,
    solution=solution,
    sizes=lambda inputs: inputs["W"].shape,
    mistakes=(
        Mistake("factor_2_dropped", "d ||r||^2 / dr = 2 r: the factor 2 from the square is missing",
                factor_2_dropped, expect="scaled"),
        Mistake("bias_dropped_from_residual", "the residual is W x + b - y: the bias b is missing from it",
                bias_dropped_from_residual),
        Mistake("target_dropped", "the residual is W x + b - y: the target y is missing from it", target_dropped),
        Mistake("weight_gradient_transposed", "x r^T is (n, m): dL/dW = 2 (W x + b - y) x^T has the shape of W",
                weight_gradient_transposed, expect="transposed"),
        Mistake("residual_dropped_in_x", "dL/dx = 2 W^T (W x + b - y): the residual is missing",
                residual_dropped_in_x),
    ),
))
