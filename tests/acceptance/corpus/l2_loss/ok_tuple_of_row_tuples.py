# expect: ok
# A tuple of 1-tuples of Python floats.
def l2_loss_grad(w, x, y):
    n = len(w)
    r = sum(w[i][0] * x[i][0] for i in range(n)) - y
    return tuple((r * x[i][0],) for i in range(n))
