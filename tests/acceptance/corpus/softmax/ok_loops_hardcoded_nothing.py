# expect: ok
# Double loop over the true size (len(x)), never a fixed number.
import math


def softmax_jacobian(x):
    values = [float(v) for v in x.ravel()]
    top = max(values)
    exps = [math.exp(v - top) for v in values]
    total = sum(exps)
    s = [e / total for e in exps]
    n = len(s)
    return [[(s[i] if i == j else 0.0) - s[i] * s[j] for j in range(n)] for i in range(n)]
