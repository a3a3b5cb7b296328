"""Hostile: interval timers whose signals land inside the harness: a SIGALRM handler that
raises every millisecond (in the middle of the harness encoding and sending results), and
a profiling timer whose SIGPROF, unhandled, ends the process."""
_m = lambda name: eval("__import__(name)", {"name": name})  # slips past the import guard: the sandbox must hold
signal = _m("signal")
np = _m("numpy")

CALLS = []


class Interrupted(Exception):
    pass


def _raise(signum, frame):
    raise Interrupted(f"signal {signum} in {frame.f_code.co_name if frame else '?'}")


def sigmoid_grad(x):
    CALLS.append(1)
    if len(CALLS) == 1:
        signal.signal(signal.SIGALRM, _raise)
        signal.setitimer(signal.ITIMER_REAL, 0.001, 0.001)
    elif len(CALLS) == 3:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.setitimer(signal.ITIMER_PROF, 0.05, 0.05)
    s = 0.5 * (1.0 + np.tanh(0.5 * x))
    total = s * (1.0 - s)
    for _ in range(200):
        total = total + 0.0
    return total
