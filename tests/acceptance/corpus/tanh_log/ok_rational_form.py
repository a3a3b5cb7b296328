# expect: ok
# tanh(ln u) = (u^2 - 1) / (u^2 + 1), whose derivative is 4u / (u^2 + 1)^2.
import numpy as np


def tanh_log_grad(x, y, z):
    u = 1 + 2 * x * z / np.sin(y)
    df_du = 4 * u / (u ** 2 + 1) ** 2
    du = np.array([2 * z / np.sin(y), -2 * x * z * np.cos(y) / np.sin(y) ** 2, 2 * x / np.sin(y)])
    gx, gy, gz = df_du * du
    return [gx, gy, gz]
