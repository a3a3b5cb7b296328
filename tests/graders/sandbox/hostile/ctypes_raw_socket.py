"""Hostile: ctypes raw socket."""
_m = lambda name: eval("__import__(name)", {"name": name})  # slips past the import guard: the sandbox must hold
ctypes = _m("ctypes")


def sigmoid_grad(x):
    libc = ctypes.CDLL(None, use_errno=True)
    fd = libc.syscall(41, 2, 1, 0)  # socket(AF_INET, SOCK_STREAM, 0) without the socket module
    raise RuntimeError(f"socket fd {fd}, errno {ctypes.get_errno()}")
