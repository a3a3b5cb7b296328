# expect: forbidden_import
# message: while it is loaded on line 8
# A helper that imports sympy runs while the file is loaded: refused at run time, with the line.
import numpy as np


def _check():
    import sympy
    return sympy.Symbol("x")


_check()


def l2_loss_grad(w, x, y):
    return ((w.T @ x).item() - y) * x
