# expect: wrong_value
# Keeps the last arguments and skips the work when it is handed "the same" arrays again
# (`is`, not equal values): stale as soon as an array is refilled in place.
import numpy as np

_last = {"args": None, "grads": None}


def one_layer_net_grads(x, y, W, b1, U, b2):
    args = (x, y, W, b1, U, b2)
    if _last["args"] is not None and all(a is b for a, b in zip(args, _last["args"])):
        return _last["grads"]
    z = W @ x + b1
    h = np.maximum(z, 0)
    t = U @ h + b2
    p = np.exp(t - t.max())
    p /= p.sum()
    dt = p - y
    dz = (U.T @ dt) * (z > 0)
    _last["args"], _last["grads"] = args, {"W": dz @ x.T, "b1": dz, "U": dt @ h.T, "b2": dt, "x": W.T @ dz}
    return _last["grads"]
