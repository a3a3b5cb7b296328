# expect: ok
# log-softmax through log-sum-exp, then einsum; also mutates its argument in place.
import numpy as np


def softmax_jacobian(x):
    x -= x.max()
    log_s = x - np.log(np.sum(np.exp(x)))
    s = np.exp(log_s).ravel()
    n = s.shape[0]
    return np.einsum("i,ij->ij", s, np.eye(n)) - np.einsum("i,j->ij", s, s)
