"""Backpropagation through a one-hidden-layer ReLU network with a softmax cross-entropy loss."""

import numpy as np
import torch

from graders.problem import Derivative, Mistake, Problem, Returns, Trial, TrialKind, register
from graders.sampling import column, matrix, rejection_sample, softmax

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
logits $\theta$ are shifted by $+1000$.
"""

DX, DH, NC = 5, 4, 3  # all different, so a transposed matrix has the wrong shape
KINK_MARGIN = 0.1  # no pre-activation this close to 0, where ReLU has no derivative


def _draw(rng: np.random.Generator) -> dict:
    y = np.zeros((NC, 1))
    y[rng.integers(NC), 0] = 1.0
    return {
        "x": column(rng, DX),
        "y": y,
        "W": matrix(rng, DH, DX, scale=0.7),
        "b1": column(rng, DH, scale=0.5),
        "U": matrix(rng, NC, DH),
        "b2": column(rng, NC, scale=0.5),
    }


def _acceptable(point: dict) -> bool:
    z = point["W"] @ point["x"] + point["b1"]
    theta = point["U"] @ np.maximum(z, 0.0) + point["b2"]
    away_from_kink = bool(np.abs(z).min() >= KINK_MARGIN)
    # Active and clearly inactive units both present, so a missing ReLU mask or z in
    # place of h changes the answer by a visible amount.
    mixed = bool((z > 0).any() and (z <= -0.5).any())
    return away_from_kink and mixed and softmax(theta).max() <= 0.98


def sample(rng: np.random.Generator, trial: Trial) -> dict:
    point = rejection_sample(rng, _draw, _acceptable)
    if trial.kind is TrialKind.STABILITY:
        # Shifting every logit leaves the gradients unchanged; a naive softmax overflows.
        point["b2"] = point["b2"] + 1000.0
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


PROBLEM = register(Problem(
    id="one_layer_net",
    title="Backpropagation through a one-layer network",
    statement=STATEMENT,
    function="one_layer_net_grads",
    params=("x", "y", "W", "b1", "U", "b2"),
    sample=sample,
    forward=forward,
    wrt=("W", "b1", "U", "b2", "x"),
    derivative=Derivative.GRADIENT,
    returns=Returns.DICT,
    stability=True,
    solution=solution,
    mistakes=(
        Mistake("mask_missing", "the ReLU derivative (1 where z > 0, else 0) is missing from dz", mask_missing),
        Mistake("z_in_place_of_h", "dU uses the pre-activation z; it should use h = ReLU(z)", z_in_place_of_h),
        Mistake("label_forgotten", "d J / d theta is softmax(theta) - y: the -y term is missing", label_forgotten),
        Mistake("delta_reversed", "d J / d theta is y_hat - y, not y - y_hat", delta_reversed,
                expect="sign_flipped"),
        Mistake("weights_transposed", "dW = dz x^T and dU = dtheta h^T (shape of the weight matrix)",
                weights_transposed, expect="transposed"),
        Mistake("naive_softmax", "subtract max(theta) before exponentiating", naive_softmax, expect="not_finite"),
    ),
))
