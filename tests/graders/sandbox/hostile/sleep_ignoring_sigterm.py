"""Hostile: sleep ignoring sigterm."""
_m = lambda name: eval("__import__(name)", {"name": name})  # slips past the import guard: the sandbox must hold
signal = _m("signal")
time = _m("time")


def sigmoid_grad(x):
    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP, signal.SIGXCPU):
        signal.signal(sig, signal.SIG_IGN)
    time.sleep(1e6)
