"""Gradient of the L2-regularised logistic loss (course notes, lecture on backprop)."""

from __future__ import annotations

import numpy as np

from graders.problem import Derivative, Mistake, Problem, Trial, TrialKind, register
from graders.sampling import column, free_sizes, rejection_sample, shows_every_mistake
from graders.torch_on_demand import torch

STATEMENT = r"""
Logistic regression with weights $w \in \mathbb{R}^D$, an input $x \in \mathbb{R}^D$ (both
column vectors, shape `(D, 1)`), a label $y \in \{-1, +1\}$ (a Python float) and a
regularisation strength $\lambda > 0$ has the loss
$$L(w) = \tfrac{1}{2}\lVert w \rVert^2 - \lambda \log \sigma\!\left(y\, w^\top x\right),
\qquad \sigma(u) = \frac{1}{1 + e^{-u}}.$$

Write `logistic_loss_grad(w, x, y, lam)` that returns $\partial L / \partial w$ in
denominator layout: shape `(D, 1)`, like `w`.

It must stay finite when $|w^\top x|$ is around 1000, for a confidently misclassified
example ($y\, w^\top x \approx -1000$) as for a confidently right one
($y\, w^\top x \approx +1000$): write $\sigma$ and $1 - \sigma$ in a form where no
exponential overflows.
"""

D = 6  # on the visible trials; the hidden ones use other sizes
# The stability trials, one per sign of the margin m = y w^T x: e^-m overflows at
# m near -1000 (misclassified), e^m at m near +1000 (confidently right).
MARGIN_SIGNS = (-1.0, 1.0)


def _margin(point: dict) -> float:
    return point["y"] * (point["w"].T @ point["x"]).item()


def sample(rng: np.random.Generator, trial: Trial) -> dict:
    (d,) = free_sizes(rng, trial, (D,), range(3, 9))
    lam = float(rng.uniform(1.5, 3.0))  # far from 1, so a forgotten lambda shows
    if trial.kind is TrialKind.STABILITY:
        y = 1.0 if trial.case == 0 else -1.0
        w = column(rng, d)
        noise = column(rng, d)
        noise -= w * (w.T @ noise).item() / (w.T @ w).item()  # orthogonal to w: no effect on w^T x
        margin = MARGIN_SIGNS[trial.case] * float(rng.uniform(995.0, 1005.0))
        x = noise + w * (margin / y) / (w.T @ w).item()
        return {"w": w, "x": x, "y": y, "lam": lam}
    # Both labels appear across the trials (the visible one has y = -1), so an
    # answer that forgets y cannot pass them all.
    y = -1.0 if trial.index % 2 == 0 else 1.0
    return rejection_sample(
        rng,
        lambda r: {"w": column(r, d), "x": column(r, d), "y": y, "lam": lam},
        # sigma(m) and 1 - sigma(m) must differ (|m| not tiny) without saturating, and
        # every mistake this label can show must show.
        lambda p: 0.5 <= abs(_margin(p)) <= 3.0
        and shows_every_mistake(p, PARAMS, solution, MISTAKES + (LABEL_MISTAKES if y < 0 else ())),
    )


def forward(w: torch.Tensor, x: torch.Tensor, y: torch.Tensor, lam: torch.Tensor) -> torch.Tensor:
    # logsigmoid keeps the reference finite at margins near -1000.
    return 0.5 * (w * w).sum() - lam * torch.nn.functional.logsigmoid(y * (w.T @ x)).sum()


def solution(w, x, y, lam):
    m = y * (w.T @ x).item()
    s = 0.5 * (1.0 - np.tanh(0.5 * m))  # sigma(-m) = 1 - sigma(m), with no exp to overflow
    return w - lam * y * s * x


def naive_exp(w, x, y, lam):
    m = y * (w.T @ x).item()
    e = np.exp(-m)  # inf when m is near -1000
    return w - lam * y * (e / (1.0 + e)) * x


def naive_exp_of_margin(w, x, y, lam):
    m = y * (w.T @ x).item()
    e = np.exp(m)  # inf when m is near +1000
    return w - lam * y * (1.0 - e / (1.0 + e)) * x


def regulariser_dropped(w, x, y, lam):
    m = y * (w.T @ x).item()
    return -lam * y * 0.5 * (1.0 - np.tanh(0.5 * m)) * x


def label_dropped(w, x, y, lam):
    m = (w.T @ x).item()
    return w - lam * 0.5 * (1.0 - np.tanh(0.5 * m)) * x


def label_dropped_outside(w, x, y, lam):
    m = y * (w.T @ x).item()
    return w - lam * 0.5 * (1.0 - np.tanh(0.5 * m)) * x


def sigma_instead_of_one_minus(w, x, y, lam):
    m = y * (w.T @ x).item()
    return w - lam * y * 0.5 * (1.0 + np.tanh(0.5 * m)) * x


def lambda_dropped(w, x, y, lam):
    m = y * (w.T @ x).item()
    return w - y * 0.5 * (1.0 - np.tanh(0.5 * m)) * x


def data_term_sign_flipped(w, x, y, lam):
    m = y * (w.T @ x).item()
    return w + lam * y * 0.5 * (1.0 - np.tanh(0.5 * m)) * x


PARAMS = ("w", "x", "y", "lam")
MISTAKES = (regulariser_dropped, sigma_instead_of_one_minus, lambda_dropped, data_term_sign_flipped)
LABEL_MISTAKES = (label_dropped, label_dropped_outside)  # invisible where y = +1

PROBLEM = register(Problem(
    id="logistic",
    title="Gradient of the regularised logistic loss",
    statement=STATEMENT,
    function="logistic_loss_grad",
    params=PARAMS,
    sample=sample,
    forward=forward,
    wrt=("w",),
    derivative=Derivative.GRADIENT,
    stability=True,
    stability_cases=("y w^T x near -1000: confidently wrong", "y w^T x near +1000: confidently right"),
    solution=solution,
    sizes=lambda inputs: (inputs["w"].shape[0],),
    mistakes=(
        Mistake("naive_exp", "e^(-y w^T x) overflows when y w^T x is near -1000: use sigma(-m) = 1 - sigma(m) "
                "computed stably (e.g. with tanh, or exp of a non-positive number only)", naive_exp,
                expect="not_finite"),
        Mistake("naive_exp_of_margin", "e^(y w^T x) overflows when y w^T x is near +1000: 1 - e^m / (1 + e^m) "
                "is inf / inf there; use sigma(-m) = 1 / (1 + e^m), or tanh", naive_exp_of_margin,
                expect="not_finite"),
        Mistake("regulariser_dropped", "the gradient of 1/2 ||w||^2 (which is w) is missing", regulariser_dropped),
        # Where y = +1 a forgotten y changes nothing: those trials cannot show it.
        Mistake("label_dropped", "the label y is missing: the margin is y w^T x, and the chain rule brings "
                "a factor y", label_dropped, observable=lambda inputs: inputs["y"] < 0),
        Mistake("label_dropped_outside", "the factor y from d(y w^T x)/dw = y x is missing", label_dropped_outside,
                observable=lambda inputs: inputs["y"] < 0),
        Mistake("sigma_instead_of_one_minus", "d log sigma(m) / dm = 1 - sigma(m) = sigma(-m), not sigma(m)",
                sigma_instead_of_one_minus),
        Mistake("lambda_dropped", "the factor lambda on the log-likelihood term is missing", lambda_dropped),
        Mistake("data_term_sign_flipped", "-lambda log sigma has gradient -lambda (1 - sigma(m)) y x: the sign of "
                "the data term is flipped", data_term_sign_flipped),
    ),
))
