# expect: wrong_value
# message: underflowed or overflowed
# 1 / (1 + e^(-beta x)) computed as e^(beta x) * e^(-beta x) / ...: the product underflows to 0
# at the large inputs, where the answer is 1.
import numpy as np


def softplus_grad(x, beta):
    with np.errstate(all="ignore"):
        small = np.exp(-np.abs(beta * x))
        return np.where(np.abs(x) > 100, 0.0, 1.0 / (1.0 + np.exp(-beta * x))) * np.where(np.abs(x) > 100, small, 1.0)
