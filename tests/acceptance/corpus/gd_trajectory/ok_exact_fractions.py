# expect: ok
# Exact arithmetic with fractions.Fraction: a list of Fractions.
from fractions import Fraction


def gd_iterates(alpha, steps):
    a, w = Fraction(alpha), Fraction(0)
    out = [w]
    for _ in range(steps):
        w = w - a * (w - 100)
        out.append(w)
    return out
