"""Hostile: replace os._exit, sys.exit and os.abort so the child cannot end itself after its last
result, and register atexit handlers that sleep: the child then wanders back into the warm
parent's own code (it was forked from there) and must still not hold up the next job."""
_m = lambda name: eval("__import__(name)", {"name": name})  # slips past the import guard: the sandbox must hold
os = _m("os")
sys = _m("sys")
atexit = _m("atexit")
time = _m("time")
np = _m("numpy")


def _linger(*args, **kwargs):
    time.sleep(60)


def sigmoid_grad(x):
    os._exit = os.abort = sys.exit = _linger
    main = sys.modules.get("__main__")
    if main is not None:
        for name in ("kill_group", "fresh_scratch", "close_other_fds"):
            if hasattr(main, name):
                setattr(main, name, _linger)
    atexit.register(_linger)
    s = 0.5 * (1.0 + np.tanh(0.5 * x))
    return s * (1.0 - s)
