# expect: ok
# functools.partial of a helper with keyword-only defaults.
import functools
import math


def _chain(x, y, z, *, sin=math.sin, cos=math.cos):
    u = 1 + 2 * x * z / sin(y)
    d = (1 - math.tanh(math.log(u)) ** 2) / u
    return d * 2 * z / sin(y), -d * 2 * x * z * cos(y) / sin(y) ** 2, d * 2 * x / sin(y)


tanh_log_grad = functools.partial(_chain, sin=math.sin, cos=math.cos)
