"""Hostile: mount a tmpfs over /tmp, then clone3 and clone into new namespaces."""
_m = lambda name: eval("__import__(name)", {"name": name})  # slips past the import guard: the sandbox must hold
ctypes = _m("ctypes")


def sigmoid_grad(x):
    libc = ctypes.CDLL(None, use_errno=True)
    libc.syscall(435, None, 0)  # clone3: ENOSYS
    libc.mount(b"tmpfs", b"/tmp", b"tmpfs", 0, None)
    return x
