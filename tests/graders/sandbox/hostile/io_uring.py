"""Hostile: io uring."""
_m = lambda name: eval("__import__(name)", {"name": name})  # slips past the import guard: the sandbox must hold
ctypes = _m("ctypes")


def sigmoid_grad(x):
    params = ctypes.create_string_buffer(120)
    ctypes.CDLL(None).syscall(425, 8, params)  # io_uring_setup
    return x
