"""Mean squared error of a linear model on a batch, differentiated in the weights."""

from __future__ import annotations

import numpy as np

from graders.problem import Derivative, Mistake, Problem, Trial, register
from graders.sampling import column, free_sizes, matrix
from graders.torch_on_demand import torch

STATEMENT = r"""
For a batch of $m$ examples stacked as the rows of $X \in \mathbb{R}^{m \times n}$,
targets $y \in \mathbb{R}^{m}$ (shape `(m, 1)`) and weights $w \in \mathbb{R}^n$ (shape `(n, 1)`),
the loss is
$L(w) = \dfrac{1}{2m} \left\lVert X w - y \right\rVert^2$.

Write `l2_loss_batch_grad(w, X, y)` that returns $\partial L / \partial w$ in denominator
layout: shape `(n, 1)`, like `w`.
"""

M, N = 6, 4  # distinct, so X and X^T cannot be swapped silently and 1/m vs 1/n differ
# Hidden sizes: no m is 2, 3 or 4 and no m/n is 2, 3, 4 or their inverse, so a missing
# 1/2 and a missing 1/m, or 1/n in place of 1/m, never look alike.
HIDDEN_SIZES = (5, 7, 8, 9)


def sample(rng: np.random.Generator, trial: Trial) -> dict:
    m, n = free_sizes(rng, trial, (M, N), HIDDEN_SIZES)
    return {"w": column(rng, n), "X": matrix(rng, m, n), "y": column(rng, m, scale=2.0)}


def forward(w: torch.Tensor, X: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    m = X.shape[0]
    return ((X @ w - y) ** 2).sum() / (2 * m)


def solution(w, X, y):
    m = X.shape[0]
    return X.T @ (X @ w - y) / m


def mean_missing(w, X, y):
    return X.T @ (X @ w - y)


def half_dropped(w, X, y):
    return 2.0 * X.T @ (X @ w - y) / X.shape[0]


def divided_by_n(w, X, y):
    return X.T @ (X @ w - y) / X.shape[1]


def residual_reversed(w, X, y):
    return X.T @ (y - X @ w) / X.shape[0]


def target_dropped(w, X, y):
    return X.T @ X @ w / X.shape[0]


def row_vector(w, X, y):
    return (X @ w - y).T @ X / X.shape[0]


def residual_sum(w, X, y):
    # Summed the residuals first, then multiplied by the summed features: drops the pairing.
    return X.sum(axis=0, keepdims=True).T * (X @ w - y).sum() / X.shape[0]


def scale_names(inputs: dict) -> dict:
    m, n = inputs["X"].shape
    return {"m": m, "m/n": m / n}  # m/n: divided by the number of features instead of examples


PROBLEM = register(Problem(
    id="l2_loss_batch",
    title="Gradient of the L2 loss (a batch of examples)",
    statement=STATEMENT,
    function="l2_loss_batch_grad",
    params=("w", "X", "y"),
    sample=sample,
    forward=forward,
    wrt=("w",),
    derivative=Derivative.GRADIENT,
    solution=solution,
    scale_names=scale_names,
    sizes=lambda inputs: inputs["X"].shape,
    mistakes=(
        Mistake("mean_missing", "the 1/m of the mean is missing", mean_missing, expect="scaled"),
        Mistake("half_dropped", "the 1/2 cancels the 2 from the square; do not keep both", half_dropped,
                expect="scaled"),
        Mistake("divided_by_n", "divide by the number of examples m (rows of X), not of features", divided_by_n,
                expect="scaled"),
        Mistake("residual_reversed", "keep the residual as X w - y", residual_reversed, expect="sign_flipped"),
        Mistake("target_dropped", "it looks like X^T X w / m: the -X^T y / m term is missing", target_dropped),
        Mistake("row_vector", "(X w - y)^T X is a row: the gradient has the shape of w", row_vector,
                expect="transposed"),
        Mistake("residual_sum", "it looks like you summed the residuals and the features separately: "
                "each residual multiplies its own row of X (X^T (X w - y))", residual_sum),
    ),
))
