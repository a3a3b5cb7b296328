# expect: forbidden_import
# Hides the import from a static scan.
import numpy as np


def softmax_jacobian(x):
    t = __import__("tor" + "ch")
    xt = t.tensor(x.ravel(), requires_grad=False)
    jac = t.autograd.functional.jacobian(lambda v: t.softmax(v, 0), xt)
    return np.asarray(jac.numpy()).T
