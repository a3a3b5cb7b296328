# expect: ok
# Term by term with numpy, returned as a list of numpy floats.
import numpy as np


def scalar_chain_grad(x, z):
    lx = np.log(x)
    # term 1: e^{xz}
    t1x, t1z = z * np.exp(x * z), x * np.exp(x * z)
    # term 2: xz / ln x  (quotient rule in x)
    t2x = (z * lx - x * z / x) / lx ** 2
    t2z = x / lx
    # term 3: sin(ln x) / (xz)
    t3x = (np.cos(lx) / x * (x * z) - np.sin(lx) * z) / (x * z) ** 2
    t3z = -np.sin(lx) * x / (x * z) ** 2
    return [t1x + t2x + t3x, t1z + t2z + t3z]
