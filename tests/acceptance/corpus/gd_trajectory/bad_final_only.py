# expect: wrong_shape
# Returns only the last iterate.
def gd_iterates(alpha, steps):
    w = 0.0
    for _ in range(steps):
        w -= alpha * (w - 100.0)
    return w
