"""Gradient of x^T (A x + z) with a non-symmetric A (course notes, tutorial 1)."""

from __future__ import annotations

import numpy as np

from graders.problem import Derivative, Mistake, Problem, Trial, register
from graders.sampling import column, free_sizes, matrix
from graders.torch_on_demand import torch

STATEMENT = r"""
For $x, z \in \mathbb{R}^n$ (column vectors, shape `(n, 1)`) and a square matrix
$A \in \mathbb{R}^{n \times n}$ that is **not** symmetric, let
$$f(x) = x^\top (A x + z).$$

Write `quadratic_form_grad(x, A, z)` that returns $\partial f / \partial x$ in
denominator layout: shape `(n, 1)`, like `x`.
"""

N = 4  # on the visible trial; the hidden ones use other sizes, so a hard-coded n fails


def sample(rng: np.random.Generator, trial: Trial) -> dict:
    (n,) = free_sizes(rng, trial, (N,), range(3, 8))
    return {"x": column(rng, n), "A": matrix(rng, n, n), "z": column(rng, n)}


def forward(x: torch.Tensor, A: torch.Tensor, z: torch.Tensor) -> torch.Tensor:
    return (x.T @ (A @ x + z)).squeeze()


def solution(x, A, z):
    return (A + A.T) @ x + z


def z_dropped(x, A, z):
    return (A + A.T) @ x


def transpose_term_dropped(x, A, z):
    return A @ x + z


def assumed_symmetric(x, A, z):
    return 2.0 * A @ x + z


def only_transpose_term(x, A, z):
    return A.T @ x + z


def row_vector(x, A, z):
    return x.T @ (A + A.T) + z.T


PROBLEM = register(Problem(
    id="quadratic_form",
    title="Gradient of x^T (A x + z)",
    statement=STATEMENT,
    function="quadratic_form_grad",
    params=("x", "A", "z"),
    sample=sample,
    forward=forward,
    wrt=("x",),
    derivative=Derivative.GRADIENT,
    solution=solution,
    sizes=lambda inputs: (inputs["x"].shape[0],),
    mistakes=(
        Mistake("z_dropped", "it looks like (A + A^T) x: the gradient of the linear term x^T z (which is z) "
                "is missing", z_dropped),
        Mistake("transpose_term_dropped", "it looks like A x + z: x appears twice in x^T A x, so the gradient "
                "is (A + A^T) x; the A^T x term is missing", transpose_term_dropped),
        Mistake("assumed_symmetric", "it looks like 2 A x + z, which holds only for a symmetric A: "
                "here A is not symmetric, use (A + A^T) x", assumed_symmetric),
        Mistake("only_transpose_term", "it looks like A^T x + z: the A x term of (A + A^T) x is missing",
                only_transpose_term),
        Mistake("row_vector", "x^T (A + A^T) + z^T is a row vector; the gradient has the shape of x", row_vector,
                expect="transposed"),
    ),
))
