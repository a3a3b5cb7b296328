# expect: ok
"""Checked against `import torch` autograd at home; only numpy is used here."""
# import torch  (left as a comment on purpose)
import itertools
from functools import reduce
from operator import add
from typing import Any

import numpy as np


def quadratic_form_grad(x: np.ndarray, A: np.ndarray, z: np.ndarray) -> Any:
    n = x.shape[0]
    g = np.array(z, dtype=float)
    for k, j in itertools.product(range(n), range(n)):
        g[k, 0] = reduce(add, [g[k, 0], A[k, j] * x[j, 0], A[j, k] * x[j, 0]])
    return g
