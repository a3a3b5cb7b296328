"""Building blocks for problem samplers: test points that expose mistakes
(distinct sizes, non-symmetric matrices) and avoid what would make a correct
answer look wrong (kinks, saturated softmax)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

MAX_TRIES = 1000


def column(rng: np.random.Generator, n: int, scale: float = 1.0) -> np.ndarray:
    return rng.standard_normal((n, 1)) * scale


def matrix(rng: np.random.Generator, rows: int, cols: int, scale: float = 1.0) -> np.ndarray:
    """A matrix that is never symmetric, so A and A^T give different answers."""
    while True:
        a = rng.standard_normal((rows, cols)) * scale
        if rows != cols or np.linalg.norm(a - a.T) > 0.5 * np.linalg.norm(a):
            return a


def huge_entries_of_both_signs(rng: np.random.Generator, x: np.ndarray) -> np.ndarray:
    """x with some entries near +1000 and some near -1000. A naive formula overflows
    on one side or the other, so each must meet its side on every seed."""
    flat = x.ravel().copy()
    picked = rng.permutation(flat.size)[: max(4, flat.size // 2)]
    half = len(picked) // 2
    flat[picked[:half]] = rng.uniform(995.0, 1005.0, size=half)
    flat[picked[half:]] = -rng.uniform(995.0, 1005.0, size=len(picked) - half)
    return flat.reshape(x.shape)


def softmax(values: np.ndarray) -> np.ndarray:
    shifted = np.exp(values - values.max())
    return shifted / shifted.sum()


def rejection_sample(rng: np.random.Generator, draw: Callable[[np.random.Generator], dict[str, Any]],
                     acceptable: Callable[[dict[str, Any]], bool]) -> dict[str, Any]:
    """Draw until the point is acceptable; deterministic for a given generator."""
    for _ in range(MAX_TRIES):
        point = draw(rng)
        if acceptable(point):
            return point
    raise RuntimeError("could not sample an acceptable test point")
