"""Hostile: a POSIX message queue (mq_open) as a channel to the next job."""
_m = lambda name: eval("__import__(name)", {"name": name})  # slips past the import guard: the sandbox must hold
ctypes = _m("ctypes")


def sigmoid_grad(x):
    librt = ctypes.CDLL("librt.so.1", use_errno=True)
    librt.mq_open(b"/nablagrade", 0o100 | 2, 0o666, None)  # O_CREAT | O_RDWR
    return x
