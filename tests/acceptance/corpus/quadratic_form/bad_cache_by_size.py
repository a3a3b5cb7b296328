# expect: wrong_value
# A module-level cache keyed on n = len(x), written "for speed": every call after the first
# of a size returns the first one's gradient.
import numpy as np

cache = {}


def quadratic_form_grad(x, A, z):
    n = len(x)
    if n in cache:
        return cache[n]
    g = (A + A.T) @ x + z
    cache[n] = g
    return g
