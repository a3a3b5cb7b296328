"""Hostile: leave its process group (setsid), then hang after the last result, in an
atexit handler and a non-daemon thread, ignoring SIGTERM: the kill must still reach it,
and the next job must not wait for it."""
_m = lambda name: eval("__import__(name)", {"name": name})  # slips past the import guard: the sandbox must hold
os = _m("os")
atexit = _m("atexit")
signal = _m("signal")
np = _m("numpy")


def _hang():
    while True:
        pass


def sigmoid_grad(x):
    try:
        os.setsid()
    except OSError:
        pass
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    atexit.register(_hang)
    s = 0.5 * (1.0 + np.tanh(0.5 * x))
    return s * (1.0 - s)
