# expect: ok
# tanh(ln u) = (u^2 - 1) / (u^2 + 1), differentiated in that form; a list of three floats.
import math
def tanh_log_grad(x, y, z):
    s = math.sin(y)
    u = 1 + 2 * x * z / s
    # tanh(ln u) = (u^2 - 1) / (u^2 + 1)
    dfdu = 4 * u / (u * u + 1) ** 2
    return [dfdu * 2 * z / s, dfdu * (-2 * x * z * math.cos(y) / s ** 2), dfdu * 2 * x / s]
