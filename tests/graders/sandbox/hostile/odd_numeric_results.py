"""Hostile: numbers the wire carries but JSON and the report must still hold: NaN, infinities,
long double, float16, big-endian, Fortran order, bool arrays, uint64 and int64 extremes,
numpy scalars of each, one style per call."""
import numpy as np

CALLS = []


def sigmoid_grad(x):
    CALLS.append(1)
    s = 1 / (1 + np.exp(-x))
    right = s * (1 - s)
    styles = (
        right * np.nan,
        np.where(right > 0.2, np.inf, -np.inf),
        right.astype(np.longdouble) * np.longdouble("1e4000"),
        right.astype(np.float16) * 70000,
        right.astype(">f8"),
        np.asfortranarray(right),
        right > 0.2,
        np.full(right.shape, np.iinfo(np.uint64).max, dtype=np.uint64),
        np.full(right.shape, np.iinfo(np.int64).min, dtype=np.int64),
        np.longdouble("1e4000"),
        float("nan"),
        np.float16(65504) * 2,
    )
    return styles[(len(CALLS) - 1) % len(styles)]
