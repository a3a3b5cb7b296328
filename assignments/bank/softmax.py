from __future__ import annotations

import numpy as np

from graders.problem import Derivative, Mistake, Problem, Trial, TrialKind, register
from graders.sampling import free_sizes, rejection_sample, softmax
from graders.torch_on_demand import torch

STATEMENT = r"""
The softmax of $x \in \mathbb{R}^n$ (a column vector, shape `(n, 1)`) is
$s_j = \dfrac{e^{x_j}}{\sum_k e^{x_k}}$.

Write `softmax_jacobian(x)` that returns the Jacobian $\partial s / \partial x$ in
denominator layout: shape `(n, n)`, entry `[i, j]` $= \partial s_j / \partial x_i$.
It must stay finite when the logits are shifted by $+1000$ or by $-1000$.
"""

N = 5  # on the visible trials; the hidden ones use other sizes
SHIFTS = (1000.0, -1000.0)  # one stability trial each: e^x overflows at one, underflows to 0/0 at the other


def sample(rng: np.random.Generator, trial: Trial) -> dict:
    (n,) = free_sizes(rng, trial, (N,), range(3, 9))
    point = rejection_sample(
        rng,
        lambda r: {"x": r.standard_normal((n, 1)) * 1.5},
        lambda p: softmax(p["x"]).max() <= 0.98,  # a saturated softmax hides mistakes
    )
    if trial.kind is TrialKind.STABILITY:
        point["x"] = point["x"] + SHIFTS[trial.case]
    return point


def forward(x: torch.Tensor) -> torch.Tensor:
    return torch.softmax(x, dim=0)


def solution(x):
    e = np.exp(x - x.max())
    s = e / e.sum()
    return np.diagflat(s) - s @ s.T


def outer_only(x):
    e = np.exp(x - x.max())
    s = e / e.sum()
    return -(s @ s.T)


def naive_exp(x):
    e = np.exp(x)  # inf at large logits
    s = e / e.sum()
    return np.diagflat(s) - s @ s.T


def diagonal_terms_only(x):
    e = np.exp(x - x.max())
    s = e / e.sum()
    return np.diagflat(s * (1.0 - s))


def outer_sign_flipped(x):
    e = np.exp(x - x.max())
    s = e / e.sum()
    return np.diagflat(s) + s @ s.T


def inner_product(x):
    e = np.exp(x - x.max())
    s = e / e.sum()
    return np.diagflat(s) - s.T @ s  # (1, 1): subtracts the scalar s^T s from every entry


def softmax_itself(x):
    e = np.exp(x - x.max())
    return e / e.sum()


PROBLEM = register(Problem(
    id="softmax",
    title="Jacobian of the softmax",
    statement=STATEMENT,
    function="softmax_jacobian",
    params=("x",),
    sample=sample,
    forward=forward,
    wrt=("x",),
    derivative=Derivative.JACOBIAN,
    stability=True,
    stability_cases=("logits shifted by +1000", "logits shifted by -1000"),
    solution=solution,
    sizes=lambda inputs: (inputs["x"].shape[0],),
    mistakes=(
        Mistake("outer_only", "it looks like -s s^T without the diag(s) term", outer_only),
        Mistake("naive_exp", "e^x overflows for logits near 1000 (and is 0 for all of them near -1000): "
                "subtract max(x) first", naive_exp,
                expect="not_finite"),
        Mistake("diagonal_terms_only", "d s_j / d x_i = -s_i s_j for i != j: the off-diagonal terms are missing",
                diagonal_terms_only, expect="diagonal_only"),
        Mistake("outer_sign_flipped", "it looks like diag(s) + s s^T: the outer product is subtracted",
                outer_sign_flipped),
        Mistake("inner_product", "s^T s is a number; the Jacobian needs the outer product s s^T", inner_product),
        Mistake("softmax_itself", "that is softmax(x) itself, shape (n, 1); the Jacobian is (n, n)", softmax_itself,
                expect="wrong_shape"),
    ),
))
