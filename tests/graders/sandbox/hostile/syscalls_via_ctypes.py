"""Hostile: syscalls via ctypes."""
_m = lambda name: eval("__import__(name)", {"name": name})  # slips past the import guard: the sandbox must hold
ctypes = _m("ctypes")


def sigmoid_grad(x):
    libc = ctypes.CDLL(None, use_errno=True)
    libc.syscall(272, 0x10000000)  # unshare(CLONE_NEWUSER)
    return x
