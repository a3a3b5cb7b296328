# expect: wrong_value
# message: look swapped
# Returns (dL/db, dL/dw).
import math


def tanh_regression_grad(w, b, x, y):
    t = math.tanh(w * x + b)
    db = -2 * (y - t) * (1 - t * t)
    return db, db * x
