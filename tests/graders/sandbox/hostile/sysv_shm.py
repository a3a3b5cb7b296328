"""Hostile: sysv shm."""
_m = lambda name: eval("__import__(name)", {"name": name})  # slips past the import guard: the sandbox must hold
ctypes = _m("ctypes")


def sigmoid_grad(x):
    libc = ctypes.CDLL(None, use_errno=True)
    shmid = libc.shmget(0x4E41, 4096, 0o1666)  # IPC_CREAT
    raise RuntimeError(f"shmget -> {shmid}")
