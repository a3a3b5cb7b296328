"""Hostile: keyctl."""
_m = lambda name: eval("__import__(name)", {"name": name})  # slips past the import guard: the sandbox must hold
ctypes = _m("ctypes")


def sigmoid_grad(x):
    libc = ctypes.CDLL(None, use_errno=True)
    libc.syscall(248, b"user", b"secret", b"x", 1, -4)  # add_key into the session keyring
    return x
