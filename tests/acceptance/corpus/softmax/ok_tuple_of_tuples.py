# expect: ok
# A tuple of row tuples built with math.fsum: a rectangular array of numbers.
import math


def softmax_jacobian(x):
    values = [float(v) for v in x.ravel()]
    top = max(values)
    e = [math.exp(v - top) for v in values]
    total = math.fsum(e)
    s = [v / total for v in e]
    return tuple(tuple((s[i] if i == j else 0.0) - s[i] * s[j] for j in range(len(s))) for i in range(len(s)))
