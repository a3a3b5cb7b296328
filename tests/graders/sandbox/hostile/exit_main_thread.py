"""Hostile: the main thread ends with the exit syscall (not exit_group) while another
thread sleeps on: the process lives on without the harness, never sending a result."""
_m = lambda name: eval("__import__(name)", {"name": name})  # slips past the import guard: the sandbox must hold
ctypes = _m("ctypes")
threading = _m("threading")
time = _m("time")

SYS_exit = 60


def _linger():
    time.sleep(1000)


def sigmoid_grad(x):
    threading.Thread(target=_linger, daemon=True).start()
    ctypes.CDLL(None).syscall(SYS_exit, 0)
