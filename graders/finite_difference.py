"""Central finite differences in float64, used only to validate the autograd
reference, never to judge a student: their truncation and rounding errors are
large enough that an elementwise comparison against them rejects correct answers."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np

from graders.problem import Derivative, Inputs, Problem

if TYPE_CHECKING:
    import torch

STEP = 1e-5  # float64: error ~ eps/h + h^2 M / 6 is smallest around here (measured 6.4e-10)
TOLERANCE = 1e-6
ELEMENTWISE_LIMIT = 24  # above this many entries, probe random directions instead
DIRECTIONS = 6


def relative_error(student: np.ndarray, reference: np.ndarray) -> float:
    """||S - R|| / (||S|| + ||R||): 0 for equal, 1 for a sign flip, NaN propagates.

    Both are divided by their largest magnitude first, which leaves the ratio as it is:
    the squares inside a norm overflow from about 1e154 on, and a huge but finite answer
    (a forgotten division, e^700) would read as "relative error nan" instead of about 1.
    """
    student = np.asarray(student, dtype=np.float64)
    reference = np.asarray(reference, dtype=np.float64)
    with np.errstate(all="ignore"):
        largest = max(float(np.max(np.abs(student), initial=0.0)), float(np.max(np.abs(reference), initial=0.0)))
        if 0.0 < largest < np.inf:  # a NaN or an inf anywhere still propagates as before
            student, reference = student / largest, reference / largest
        difference = float(np.linalg.norm(np.ravel(student - reference)))
        scale = float(np.linalg.norm(np.ravel(student))) + float(np.linalg.norm(np.ravel(reference)))
    if scale == 0.0:
        return 0.0 if difference == 0.0 else float("inf")
    return difference / scale


def _directions(size: int, rng: np.random.Generator) -> list[np.ndarray]:
    if size <= ELEMENTWISE_LIMIT:
        return list(np.eye(size))
    directions = rng.standard_normal((DIRECTIONS, size))
    return list(directions / np.linalg.norm(directions, axis=1, keepdims=True))


def _predicted(kind: Derivative, reference: np.ndarray, direction: np.ndarray) -> np.ndarray:
    flat = reference.reshape(-1) if kind is not Derivative.JACOBIAN else reference
    if kind is Derivative.GRADIENT:
        return np.atleast_1d(flat @ direction)
    if kind is Derivative.ELEMENTWISE:
        return flat * direction
    return flat.T @ direction  # dy = J^T dx in denominator layout


def validate_reference(problem: Problem, inputs: Inputs, reference: dict[str, np.ndarray], seed: int = 0) -> float:
    """Check the reference against central differences; raise InvalidReference if
    they disagree. Returns the relative error found."""
    if problem.derivative is Derivative.CUSTOM:
        return _validate_custom(problem, inputs, reference)
    # Here, not at the top: diagnoses use relative_error without torch (graders.torch_on_demand).
    import torch

    from graders.reference import InvalidReference, forward_value, plain_tensors

    rng = np.random.default_rng(seed)
    predicted, measured = [], []
    tensors = plain_tensors(inputs)
    for name in problem.wrt:
        base = np.asarray(inputs[name], dtype=np.float64)
        for direction in _directions(base.size, rng):
            step = direction.reshape(base.shape) * STEP
            plus = forward_value(problem, {**tensors, name: torch.from_numpy(np.asarray(base + step))})
            minus = forward_value(problem, {**tensors, name: torch.from_numpy(np.asarray(base - step))})
            measured.append((plus - minus) / (2 * STEP))
            predicted.append(_predicted(problem.derivative, reference[name], direction))
    error = relative_error(np.concatenate(predicted), np.concatenate(measured))
    if not error <= TOLERANCE:
        raise InvalidReference(f"{problem.id}: autograd and finite differences disagree (relative error {error:.2e})")
    return error


def fd_gradient(f: Callable[[torch.Tensor], torch.Tensor], at: torch.Tensor) -> torch.Tensor:
    """Central-difference gradient of a scalar function of a small tensor."""
    import torch

    base = at.detach().clone()
    grad = torch.zeros_like(base).reshape(-1)
    flat = base.reshape(-1)
    with torch.no_grad():
        for i in range(flat.numel()):
            plus, minus = flat.clone(), flat.clone()
            plus[i] += STEP
            minus[i] -= STEP
            grad[i] = (f(plus.reshape(base.shape)) - f(minus.reshape(base.shape))) / (2 * STEP)
    return grad.reshape(base.shape)


def _validate_custom(problem: Problem, inputs: Inputs, reference: dict[str, np.ndarray]) -> float:
    import torch

    from graders.reference import InvalidReference

    measured = problem.reference(inputs, fd_gradient)
    worst = 0.0
    for name, value in reference.items():
        other = np.asarray(measured[name].detach().numpy() if isinstance(measured[name], torch.Tensor) else measured[name])
        error = relative_error(value, other.astype(np.float64))
        if not error <= TOLERANCE:
            raise InvalidReference(f"{problem.id}: autograd and finite differences disagree on {name} ({error:.2e})")
        worst = max(worst, error)
    return worst
