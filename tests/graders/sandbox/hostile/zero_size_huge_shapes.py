"""Hostile: arrays with no elements but huge shapes (2**40 rows; 3 million rows), which
would make the trusted side allocate or print megabytes if it trusted the shape."""
np = eval("__import__('numpy')", {})
CALLS = [0]


def sigmoid_grad(x):
    CALLS[0] += 1
    return np.empty((2**40, 0)) if CALLS[0] % 2 else np.empty((3_000_000, 0))
