"""Hostile: userfaultfd (to stall the kernel on a page fault), then perf_event_open and bpf."""
_m = lambda name: eval("__import__(name)", {"name": name})  # slips past the import guard: the sandbox must hold
ctypes = _m("ctypes")


def sigmoid_grad(x):
    libc = ctypes.CDLL(None, use_errno=True)
    libc.syscall(323, 0)  # userfaultfd
    libc.syscall(298, None, 0, -1, -1, 0)  # perf_event_open
    libc.syscall(321, 0, None, 0)  # bpf
    return x
