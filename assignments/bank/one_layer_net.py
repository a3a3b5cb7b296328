"""Backpropagation through a one-hidden-layer ReLU network with a softmax cross-entropy loss."""

from __future__ import annotations

import numpy as np

from graders.problem import Derivative, Mistake, Problem, Returns, Trial, TrialKind, register
from graders.sampling import column, free_sizes, matrix, rejection_sample, shows_every_mistake, softmax
from graders.torch_on_demand import torch

STATEMENT = r"""
A one-hidden-layer network maps $x \in \mathbb{R}^{D_x}$ to class probabilities:

$$z = W x + b_1,\quad h = \mathrm{ReLU}(z),\quad \theta = U h + b_2,\quad
\hat y = \mathrm{softmax}(\theta),\quad J = -\sum_{k} y_k \log \hat y_k,$$

with $W \in \mathbb{R}^{D_h \times D_x}$, $b_1 \in \mathbb{R}^{D_h}$, $U \in \mathbb{R}^{N_c \times D_h}$,
$b_2 \in \mathbb{R}^{N_c}$ and a one-hot label $y \in \{0, 1\}^{N_c}$. Vectors are columns,
shape `(d, 1)`.

Write `one_layer_net_grads(x, y, W, b1, U, b2)` that returns a dict with the keys
`"W"`, `"b1"`, `"U"`, `"b2"` and `"x"`: the gradient of $J$ with respect to each, in
denominator layout (each has the shape of its variable). It must stay finite when the
logits $\theta$ are shifted by $+1000$ or by $-1000$.
"""

# All different, so a transposed matrix has the wrong shape; the visible trials use
# these, the hidden ones other distinct sizes.
DX, DH, NC = 5, 4, 3
KINK_MARGIN = 0.1  # no pre-activation this close to 0, where ReLU has no derivative
SHIFTS = (1000.0, -1000.0)  # of every logit, one stability trial each


def _draw(rng: np.random.Generator, dx: int, dh: int, nc: int) -> dict:
    y = np.zeros((nc, 1))
    y[rng.integers(nc), 0] = 1.0
    return {
        "x": column(rng, dx),
        "y": y,
        "W": matrix(rng, dh, dx, scale=0.7),
        "b1": column(rng, dh, scale=0.5),
        "U": matrix(rng, nc, dh),
        "b2": column(rng, nc, scale=0.5),
    }


def _acceptable(point: dict) -> bool:
    wx = point["W"] @ point["x"]
    z = wx + point["b1"]
    theta = point["U"] @ np.maximum(z, 0.0) + point["b2"]
    away_from_kink = bool(np.abs(z).min() >= KINK_MARGIN)
    # Active and clearly inactive units both present, so a missing ReLU mask or z in
    # place of h changes the answer by a visible amount; and a unit that b1 switches
    # on or off, so a mask computed from W x alone (without b1) is wrong.
    mixed = bool((z > 0).any() and (z <= -0.5).any())
    switched = bool(((np.sign(wx) != np.sign(z)) & (np.abs(wx) >= KINK_MARGIN)).any())
    if not (away_from_kink and mixed and switched and softmax(theta).max() <= 0.98):
        return False
    # And every catalogued mistake misses by far more than any tolerance.
    return shows_every_mistake(point, PROBLEM_PARAMS, solution, SHOWN_ON_EVERY_TRIAL)


def sample(rng: np.random.Generator, trial: Trial) -> dict:
    dx, dh, nc = free_sizes(rng, trial, (DX, DH, NC), range(2, 9))
    point = rejection_sample(rng, lambda r: _draw(r, dx, dh, nc), _acceptable)
    if trial.kind is TrialKind.STABILITY:
        # Shifting every logit leaves the gradients unchanged; a naive softmax overflows
        # at +1000 and is 0 / 0 at -1000.
        point["b2"] = point["b2"] + SHIFTS[trial.case]
    return point


def forward(x: torch.Tensor, y: torch.Tensor, W: torch.Tensor, b1: torch.Tensor, U: torch.Tensor,
            b2: torch.Tensor) -> torch.Tensor:
    z = W @ x + b1
    h = torch.relu(z)
    theta = U @ h + b2
    return -(y * torch.log_softmax(theta, dim=0)).sum()  # log_softmax: finite even at theta + 1000


def solution(x, y, W, b1, U, b2):
    z = W @ x + b1
    h = np.maximum(z, 0.0)
    theta = U @ h + b2
    e = np.exp(theta - theta.max())
    y_hat = e / e.sum()
    d_theta = y_hat - y
    d_z = (U.T @ d_theta) * (z > 0)
    return {"W": d_z @ x.T, "b1": d_z, "U": d_theta @ h.T, "b2": d_theta, "x": W.T @ d_z}


def mask_missing(x, y, W, b1, U, b2):
    z = W @ x + b1
    h = np.maximum(z, 0.0)
    theta = U @ h + b2
    e = np.exp(theta - theta.max())
    d_theta = e / e.sum() - y
    d_z = U.T @ d_theta
    return {"W": d_z @ x.T, "b1": d_z, "U": d_theta @ h.T, "b2": d_theta, "x": W.T @ d_z}


def mask_without_bias(x, y, W, b1, U, b2):
    z = W @ x + b1
    h = np.maximum(z, 0.0)
    theta = U @ h + b2
    e = np.exp(theta - theta.max())
    d_theta = e / e.sum() - y
    d_z = (U.T @ d_theta) * (W @ x > 0)
    return {"W": d_z @ x.T, "b1": d_z, "U": d_theta @ h.T, "b2": d_theta, "x": W.T @ d_z}


def z_in_place_of_h(x, y, W, b1, U, b2):
    z = W @ x + b1
    h = np.maximum(z, 0.0)
    theta = U @ h + b2
    e = np.exp(theta - theta.max())
    d_theta = e / e.sum() - y
    d_z = (U.T @ d_theta) * (z > 0)
    return {"W": d_z @ x.T, "b1": d_z, "U": d_theta @ z.T, "b2": d_theta, "x": W.T @ d_z}


def label_forgotten(x, y, W, b1, U, b2):
    z = W @ x + b1
    h = np.maximum(z, 0.0)
    theta = U @ h + b2
    e = np.exp(theta - theta.max())
    d_theta = e / e.sum()
    d_z = (U.T @ d_theta) * (z > 0)
    return {"W": d_z @ x.T, "b1": d_z, "U": d_theta @ h.T, "b2": d_theta, "x": W.T @ d_z}


def delta_reversed(x, y, W, b1, U, b2):
    z = W @ x + b1
    h = np.maximum(z, 0.0)
    theta = U @ h + b2
    e = np.exp(theta - theta.max())
    d_theta = y - e / e.sum()
    d_z = (U.T @ d_theta) * (z > 0)
    return {"W": d_z @ x.T, "b1": d_z, "U": d_theta @ h.T, "b2": d_theta, "x": W.T @ d_z}


def weights_transposed(x, y, W, b1, U, b2):
    z = W @ x + b1
    h = np.maximum(z, 0.0)
    theta = U @ h + b2
    e = np.exp(theta - theta.max())
    d_theta = e / e.sum() - y
    d_z = (U.T @ d_theta) * (z > 0)
    return {"W": x @ d_z.T, "b1": d_z, "U": h @ d_theta.T, "b2": d_theta, "x": W.T @ d_z}


def naive_softmax(x, y, W, b1, U, b2):
    z = W @ x + b1
    h = np.maximum(z, 0.0)
    theta = U @ h + b2
    y_hat = np.exp(theta) / np.exp(theta).sum()  # inf / inf at large logits
    d_theta = y_hat - y
    d_z = (U.T @ d_theta) * (z > 0)
    return {"W": d_z @ x.T, "b1": d_z, "U": d_theta @ h.T, "b2": d_theta, "x": W.T @ d_z}


PROBLEM_PARAMS = ("x", "y", "W", "b1", "U", "b2")
# Every mistake but the naive softmax, which is right until the logits are large.
SHOWN_ON_EVERY_TRIAL = (mask_missing, mask_without_bias, z_in_place_of_h, label_forgotten, delta_reversed,
                        weights_transposed)

PROBLEM = register(Problem(
    id="one_layer_net",
    title="Backpropagation through a one-layer network",
    statement=STATEMENT,
    function="one_layer_net_grads",
    params=PROBLEM_PARAMS,
    sample=sample,
    forward=forward,
    wrt=("W", "b1", "U", "b2", "x"),
    derivative=Derivative.GRADIENT,
    returns=Returns.DICT,
    stability=True,
    stability_cases=("logits shifted by +1000", "logits shifted by -1000"),
    solution=solution,
    sizes=lambda inputs: (inputs["x"].shape[0], inputs["W"].shape[0], inputs["y"].shape[0]),
    mistakes=(
        Mistake("mask_missing", "the ReLU derivative (1 where z > 0, else 0) is missing from dz", mask_missing),
        Mistake("mask_without_bias", "the ReLU mask is z > 0 with z = W x + b1: it looks computed from W x alone, "
                "without the bias", mask_without_bias),
        Mistake("z_in_place_of_h", "dU uses the pre-activation z; it should use h = ReLU(z)", z_in_place_of_h),
        Mistake("label_forgotten", "d J / d theta is softmax(theta) - y: the -y term is missing", label_forgotten),
        Mistake("delta_reversed", "d J / d theta is y_hat - y, not y - y_hat", delta_reversed,
                expect="sign_flipped"),
        Mistake("weights_transposed", "dW = dz x^T and dU = dtheta h^T (shape of the weight matrix)",
                weights_transposed, expect="transposed"),
        Mistake("naive_softmax", "subtract max(theta) before exponentiating", naive_softmax, expect="not_finite"),
    ),
))
