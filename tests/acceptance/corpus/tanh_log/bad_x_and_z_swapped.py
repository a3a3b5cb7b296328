# expect: wrong_value
# message: swapped
# The partial derivatives with respect to x and z returned in each other's place.
import math
def tanh_log_grad(x, y, z):
    s = math.sin(y)
    u = 1 + 2 * x * z / s
    dfdu = 4 * u / (u * u + 1) ** 2
    return (dfdu * 2 * x / s, dfdu * (-2 * x * z * math.cos(y) / s ** 2), dfdu * 2 * z / s)
