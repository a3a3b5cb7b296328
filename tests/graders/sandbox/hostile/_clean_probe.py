"""A correct sigmoid_grad that refuses to pass if anything from an earlier job is visible."""
import numpy as np

_os = eval("__import__('os')", {})
_sys = eval("__import__('sys')", {})


def sigmoid_grad(x):
    leftovers = []
    if _os.listdir("/tmp"):
        leftovers.append(f"files in /tmp: {_os.listdir('/tmp')}")
    if _os.path.isdir("/dev/shm") and _os.listdir("/dev/shm"):
        leftovers.append("files in /dev/shm")
    if np.allclose(0.0, 1.0) or np.isfinite(np.inf):
        leftovers.append("numpy is patched")
    if getattr(np, "LEFTOVER", None) is not None or "leftover" in _sys.modules:
        leftovers.append("a module attribute survived")
    if _os.environ.get("LEFTOVER"):
        leftovers.append("an environment variable survived")
    if leftovers:
        raise RuntimeError("; ".join(leftovers))
    s = 0.5 * (1.0 + np.tanh(0.5 * x))
    return s * (1.0 - s)
