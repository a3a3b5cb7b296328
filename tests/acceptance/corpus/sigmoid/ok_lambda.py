# expect: ok
# The function is bound with a lambda rather than def.
import numpy as np

sigmoid_grad = lambda x: 0.25 / np.cosh(x / 2) ** 2  # noqa: E731 -- a student's style
