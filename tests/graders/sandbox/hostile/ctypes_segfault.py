"""Hostile: ctypes segfault."""
_m = lambda name: eval("__import__(name)", {"name": name})  # slips past the import guard: the sandbox must hold
ctypes = _m("ctypes")


def sigmoid_grad(x):
    return ctypes.string_at(0)
