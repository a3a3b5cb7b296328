# expect: ok
# decimal.Decimal iterates in a numpy object array.
from decimal import Decimal

import numpy as np


def gd_iterates(alpha, steps):
    a, w = Decimal(repr(alpha)), Decimal(0)
    out = [w]
    for _ in range(steps):
        w = w - a * (w - 100)
        out.append(w)
    return np.array(out, dtype=object)
