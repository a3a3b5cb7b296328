# expect: ok
# The iterates in an array.array of doubles: a typed list of numbers, read like a list.
from array import array


def gd_iterates(alpha, steps):
    w = array("d", [0.0])
    for _ in range(steps):
        w.append(w[-1] - alpha * (w[-1] - 100.0))
    return w
