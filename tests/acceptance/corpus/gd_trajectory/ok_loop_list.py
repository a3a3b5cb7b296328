# expect: ok
# dL/dw = x (x w - y) with x = 1, y = 100.
def gd_iterates(alpha, steps):
    x, y = 1.0, 100.0
    w = 0.0
    out = [w]
    for _ in range(steps):
        w = w - alpha * x * (x * w - y)
        out.append(w)
    return out
