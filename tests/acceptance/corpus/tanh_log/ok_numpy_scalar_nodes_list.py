# expect: ok
# Backprop through named nodes, with numpy float64 scalars.
import numpy as np


def tanh_log_grad(x, y, z):
    x, y, z = np.float64(x), np.float64(y), np.float64(z)
    s = np.sin(y)
    q = 2 * x / s
    u = 1 + z * q
    g = np.log(u)
    f = np.tanh(g)
    df_dg = 1 - f * f
    df_du = df_dg / u
    df_dq = df_du * z
    return [df_dq * 2 / s, df_dq * (-2 * x * np.cos(y) / s ** 2), df_du * q]
