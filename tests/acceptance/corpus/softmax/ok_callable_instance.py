# expect: ok
# The graded name is an instance with __call__, not a function.
import numpy as np
class _Softmax:
    def __call__(self, x):
        s = np.exp(x - np.max(x)); s = s / np.sum(s)
        return np.diag(s.ravel()) - np.outer(s, s)
softmax_jacobian = _Softmax()
