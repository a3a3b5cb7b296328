# expect: ok
# Entry by entry with the math module, returned as a list of lists.
import math


def softmax_jacobian(x):
    values = [float(v) for v in x[:, 0]]
    top = max(values)
    exps = [math.exp(v - top) for v in values]
    total = sum(exps)
    s = [e / total for e in exps]
    n = len(s)
    jac = []
    for i in range(n):
        row = []
        for j in range(n):
            delta = 1.0 if i == j else 0.0
            row.append(s[j] * (delta - s[i]))
        jac.append(row)
    return jac
