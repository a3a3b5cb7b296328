# expect: ok
# Everything as np.matrix, where * is the matrix product.
import numpy as np


def one_layer_net_grads(x, y, W, b1, U, b2):
    x, y, W, b1, U, b2 = (np.asmatrix(a) for a in (x, y, W, b1, U, b2))
    z = W * x + b1  # * is the matrix product for np.matrix
    h = np.multiply(z, z > 0)
    theta = U * h + b2
    p = np.exp(theta - theta.max())
    p = p / p.sum()
    d_theta = p - y
    d_z = np.multiply(U.T * d_theta, z > 0)
    return {"W": d_z * x.T, "b1": d_z, "U": d_theta * h.T, "b2": d_theta, "x": W.T * d_z}
