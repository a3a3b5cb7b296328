# expect: ok
# Times itself when run as a script; the grader imports it, so that block never runs.
import time

import numpy as np


def linear_l2_grads(W, b, x, y):
    r = W @ x + b - y
    return {"W": 2 * r @ x.T, "b": 2 * r, "x": 2 * W.T @ r}


if __name__ == "__main__":
    start = time.perf_counter()
    linear_l2_grads(np.ones((3, 2)), np.ones((3, 1)), np.ones((2, 1)), np.zeros((3, 1)))
    print(f"{time.perf_counter() - start:.6f} s")
