# expect: ok
# An instance with __call__, split by the sign of beta x with boolean masks.
import numpy as np


class SoftplusGrad:
    """f'(x) = sigma(beta x), computed without overflow."""

    def __call__(self, x, beta):
        t = beta * x
        out = np.empty_like(t)
        pos = t >= 0
        out[pos] = 1.0 / (1.0 + np.exp(-t[pos]))
        e = np.exp(t[~pos])
        out[~pos] = e / (1.0 + e)
        return out


softplus_grad = SoftplusGrad()
