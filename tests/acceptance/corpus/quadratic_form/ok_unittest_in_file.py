# expect: ok
# The student's own tests live in the file: a unittest.TestCase, a timeit and a logger.
import logging
import timeit
import unittest

import numpy as np

log = logging.getLogger(__name__)


def quadratic_form_grad(x, A, z):
    log.debug("x has shape %s", x.shape)
    return (A + A.T) @ x + z


class QuadraticFormTest(unittest.TestCase):
    def test_matches_finite_differences(self):
        rng = np.random.default_rng(0)
        x, A, z = rng.normal(size=(3, 1)), rng.normal(size=(3, 3)), rng.normal(size=(3, 1))
        f = lambda v: float((v.T @ (A @ v + z)).item())
        h, e = 1e-6, np.eye(3)
        fd = np.array([[(f(x + h * e[:, [i]]) - f(x - h * e[:, [i]])) / (2 * h)] for i in range(3)])
        np.testing.assert_allclose(quadratic_form_grad(x, A, z), fd, rtol=1e-6)


if __name__ == "__main__":
    print(timeit.timeit(lambda: quadratic_form_grad(np.ones((5, 1)), np.eye(5), np.ones((5, 1))), number=1000))
    unittest.main()
