# expect: ok
# A namedtuple (dw, db).
import math
from collections import namedtuple

Grads = namedtuple("Grads", "dw db")


def tanh_regression_grad(w, b, x, y):
    t = math.tanh(w * x + b)
    db = -2 * (y - t) * (1 - t * t)
    return Grads(dw=db * x, db=db)
