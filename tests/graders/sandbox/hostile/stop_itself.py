"""Hostile: SIGSTOP itself in the middle of a call (and SIGTSTP, SIGTTIN): a stopped job
must not hold the worker, nor be mistaken for something done to it from outside forever."""
_m = lambda name: eval("__import__(name)", {"name": name})  # slips past the import guard: the sandbox must hold
os = _m("os")
signal = _m("signal")


def sigmoid_grad(x):
    for sig in (signal.SIGSTOP, signal.SIGTSTP, signal.SIGTTIN):
        try:
            os.kill(os.getpid(), sig)
        except OSError:
            pass
    return x
