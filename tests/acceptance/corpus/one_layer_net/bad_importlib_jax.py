# expect: forbidden_import
import importlib

import numpy as np


def one_layer_net_grads(x, y, W, b1, U, b2):
    jax = importlib.import_module("ja" + "x")
    grads = jax.grad(lambda p: 0.0)(np.zeros(1))
    return {"W": grads, "b1": grads, "U": grads, "b2": grads, "x": grads}
