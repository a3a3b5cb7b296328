# expect: ok
# The chain rule with explicit denominator-layout Jacobians:
# dJ/dz = dh/dz . dtheta/dh . dJ/dtheta, with dh/dz = diag(1[z>0]) and dtheta/dh = U^T.
import numpy as np


def _softmax(v):
    e = np.exp(v - np.max(v))
    return e / np.sum(e)


def one_layer_net_grads(x, y, W, b1, U, b2):
    z = W @ x + b1
    h = z * (z > 0)
    theta = U @ h + b2
    dJ_dtheta = _softmax(theta) - y
    dh_dz = np.diag((z > 0).astype(float).ravel())
    dtheta_dh = U.T
    dJ_dh = dtheta_dh @ dJ_dtheta
    dJ_dz = dh_dz @ dJ_dh
    dz_dx = W.T
    return dict(W=np.outer(dJ_dz, x), b1=dJ_dz, U=np.outer(dJ_dtheta, h), b2=dJ_dtheta, x=dz_dx @ dJ_dz)
