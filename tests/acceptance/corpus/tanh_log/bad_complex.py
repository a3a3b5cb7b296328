# expect: wrong_type
# cmath leaks complex numbers into the answer.
import cmath


def tanh_log_grad(x, y, z):
    s = cmath.sin(y)
    u = 1 + 2 * x * z / s
    t = cmath.tanh(cmath.log(u))
    outer = (1 - t * t) / u
    return (outer * 2 * z / s, outer * (-2 * x * z * cmath.cos(y) / s ** 2), outer * 2 * x / s)
