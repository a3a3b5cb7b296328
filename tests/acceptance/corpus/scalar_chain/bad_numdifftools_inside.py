# expect: forbidden_import
# The import hides inside the function body.
def scalar_chain_grad(x, z):
    import math

    import numdifftools as nd

    def f(v):
        return math.exp(v[0] * v[1]) + v[0] * v[1] / math.log(v[0]) + math.sin(math.log(v[0])) / (v[0] * v[1])

    g = nd.Gradient(f)([x, z])
    return float(g[0]), float(g[1])
