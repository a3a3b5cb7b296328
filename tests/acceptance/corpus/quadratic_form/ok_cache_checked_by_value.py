# expect: ok
# A memo keyed on id(x), but checked against a copy of the values it was computed from:
# right however the caller reuses its arrays.
import numpy as np

_memo = {}


def quadratic_form_grad(x, A, z):
    key = (id(x), id(A), id(z))
    hit = _memo.get(key)
    if hit is not None and all(np.array_equal(a, b) for a, b in zip(hit[0], (x, A, z))):
        return hit[1].copy()
    g = (A + A.T) @ x + z
    _memo[key] = ((x.copy(), A.copy(), z.copy()), g)
    return g.copy()
