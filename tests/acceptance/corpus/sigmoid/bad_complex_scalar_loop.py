# expect: wrong_type
# message: complex number
# cmath per entry, written back into a list of lists of complex numbers.
import cmath


def sigmoid_grad(x):
    out = []
    for row in x.tolist():
        out.append([1 / (1 + cmath.exp(-v)) * (1 - 1 / (1 + cmath.exp(-v))) for v in row])
    return out
