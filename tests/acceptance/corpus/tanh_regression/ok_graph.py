# expect: ok
# Node by node: a = wx + b, p = tanh(a), r = y - p, L = r^2.
def tanh_regression_grad(w, b, x, y):
    import math

    a = w * x + b
    p = math.tanh(a)
    r = y - p
    dL_dr = 2 * r
    dL_dp = -dL_dr
    dL_da = dL_dp * (1 - p ** 2)
    return (dL_da * x, dL_da * 1.0)
