# expect: forbidden_import
import numpy as np
import sympy as sp


def quadratic_form_grad(x, A, z):
    n = x.shape[0]
    xs = sp.Matrix(sp.symbols(f"x0:{n}"))
    f = (xs.T * (sp.Matrix(A) * xs + sp.Matrix(z)))[0]
    g = [sp.diff(f, v).subs(dict(zip(xs, x.ravel()))) for v in xs]
    return np.array(g, dtype=float).reshape(n, 1)
