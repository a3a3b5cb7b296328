# expect: ok
# Checks itself with numpy submodules that numpy imports lazily (testing, polynomial, fft, random).
import numpy as np


def quadratic_form_grad(x, A, z):
    g = (A + A.T) @ x + z
    np.testing.assert_allclose(g, A @ x + A.T @ x + z)
    p = np.polynomial.polynomial.polyval(0.5, [1.0, 2.0])
    f = np.fft.fft(np.ones(4))
    rng = np.random.default_rng(0)
    print(np.array2string(g), p, f[0], rng.normal())
    return g
