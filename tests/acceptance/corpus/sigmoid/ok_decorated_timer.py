# expect: ok
# A timing decorator (functools.wraps) that prints, around sigma(x) sigma(-x) computed in logs.
import functools
import time

import numpy as np


def timed(function):
    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        start = time.perf_counter()
        result = function(*args, **kwargs)
        print(f"{function.__name__} took {time.perf_counter() - start:.2e} s")
        return result
    return wrapper


@timed
def sigmoid_grad(x):
    return np.exp(-np.logaddexp(0.0, x) - np.logaddexp(0.0, -x))  # sigma(x) sigma(-x), in logs
