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


def free_sizes(rng: np.random.Generator, trial: Any, visible: tuple[int, ...], choices: Any) -> tuple[int, ...]:
    """Sizes for one trial. Every visible trial uses `visible` (the same for every
    student); a hidden trial draws distinct sizes from `choices` that are none of
    the visible ones, so an answer that hard-codes a size it saw (a loop over
    range(5), a division by 6.0) fails there, and a matrix stays non-square.

    The hidden trials of one set draw the same sizes (from the trial's `sizes_seed`),
    so the function meets one shape twice with other values: an answer that keeps a
    result by shape or size (a cache keyed on x.shape) returns a stale one there."""
    if trial.visible:
        return visible
    pool = [int(c) for c in choices if c not in visible]
    seed = getattr(trial, "sizes_seed", None)
    source = rng if seed is None else np.random.default_rng(list(seed))
    return tuple(int(v) for v in source.choice(pool, size=len(visible), replace=False))


def any_shape(rng: np.random.Generator, trial: Any, visible: tuple[int, ...], choices: Any) -> tuple[int, ...]:
    """A shape for a problem whose statement says "any shape": like `free_sizes`, but no
    hidden trial has as many axes as the visible one. Odd ones have one axis fewer (a
    vector when the visible shape is a matrix), even ones one more, so an answer written
    for matrices only fails on one or the other: two nested loops over shape[0] and
    shape[1] (which still work on three axes when the body is numpy), np.matrix, an
    index like x[:, j]. The sizes stay distinct and none is a visible one."""
    if trial.visible:
        return visible
    if trial.index % 2:
        return free_sizes(rng, trial, visible, choices)[: max(1, len(visible) - 1)]
    pool = [int(c) for c in choices if c not in visible]
    return tuple(int(v) for v in rng.choice(pool, size=len(visible) + 1, replace=False))


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


def _outputs(value: Any) -> list[np.ndarray]:
    if isinstance(value, dict):
        return [np.asarray(value[key], dtype=np.float64) for key in sorted(value)]
    if isinstance(value, (tuple, list)):
        return [np.asarray(item, dtype=np.float64) for item in value]
    return [np.asarray(value, dtype=np.float64)]


def shows_every_mistake(point: dict[str, Any], params: tuple[str, ...], solution: Callable[..., Any],
                        mistakes: tuple[Callable[..., Any], ...], margin: float = 0.01) -> bool:
    """Whether every one of `mistakes` (numpy functions with the solution's signature)
    misses the solution's answer at `point` by a relative error of at least
    `margin` in some output: far above any grading tolerance, so no trial drawn
    with this test lets a catalogued mistake through."""
    from graders.finite_difference import relative_error

    def run(function: Callable[..., Any]) -> list[np.ndarray]:
        arguments = [np.copy(point[name]) if isinstance(point[name], np.ndarray) else point[name] for name in params]
        with np.errstate(all="ignore"):
            return _outputs(function(*arguments))

    right = run(solution)
    for mistake in mistakes:
        wrong = run(mistake)
        if not any(a.shape != b.shape or relative_error(a, b) >= margin for a, b in zip(wrong, right, strict=True)):
            return False
    return True

