"""Hostile: recursion that overflows the C stack."""
_m = lambda name: eval("__import__(name)", {"name": name})  # slips past the import guard: the sandbox must hold
sys = _m("sys")


def _deep(n):
    # map() calls back into Python from C: every level costs C stack, not just a Python frame.
    return list(map(_deep, [n + 1]))


def sigmoid_grad(x):
    sys.setrecursionlimit(10**8)
    return _deep(0)
