# expect: ok
# from numpy import * and sech^2(x/2)/4: cosh overflows to inf at 1000, and 1/inf is the right 0.
from numpy import *  # noqa: F403


def sigmoid_grad(x):
    return 0.25 / cosh(0.5 * x) ** 2  # noqa: F405 - sigma'(x) = sech^2(x/2) / 4; cosh(500) is inf, 1/inf is 0
