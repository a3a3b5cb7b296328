"""Hostile: stop itself without kill() (filtered), to pass for a job stopped from outside
(which the runner blames on the grader and runs again): a pty made its controlling terminal
whose master signals its foreground group (TIOCSIG), then a POSIX timer that delivers SIGSTOP."""
_m = lambda name: eval("__import__(name)", {"name": name})  # slips past the import guard: the sandbox must hold
os = _m("os")
ctypes = _m("ctypes")
fcntl = _m("fcntl")
time = _m("time")
signal = _m("signal")

SIGEV_SIGNAL, CLOCK_MONOTONIC, TIOCSCTTY, TIOCSIG = 0, 1, 0x540E, 0x40045436


class SigEvent(ctypes.Structure):
    _fields_ = [("value", ctypes.c_void_p), ("signo", ctypes.c_int), ("notify", ctypes.c_int),
                ("tid", ctypes.c_int), ("pad", ctypes.c_char * 44)]


class ITimerSpec(ctypes.Structure):
    _fields_ = [("interval_s", ctypes.c_long), ("interval_ns", ctypes.c_long), ("value_s", ctypes.c_long),
                ("value_ns", ctypes.c_long)]


def _by_pty():
    try:
        leader, follower = os.openpty()
        fcntl.ioctl(follower, TIOCSCTTY, 0)
        fcntl.ioctl(leader, TIOCSIG, int(signal.SIGSTOP))
        return "pty: sent"
    except OSError as exc:
        return f"pty: errno {exc.errno}"


def _by_timer():
    libc = ctypes.CDLL(None, use_errno=True)
    timer = ctypes.c_void_p()
    event = SigEvent(None, int(signal.SIGSTOP), SIGEV_SIGNAL, 0)
    if libc.timer_create(CLOCK_MONOTONIC, ctypes.byref(event), ctypes.byref(timer)) != 0:
        return f"timer_create: errno {ctypes.get_errno()}"
    libc.timer_settime(timer, 0, ctypes.byref(ITimerSpec(0, 0, 0, 50_000_000)), None)
    return "timer: armed"


def sigmoid_grad(x):
    outcomes = [_by_pty(), _by_timer()]
    time.sleep(0.3)
    raise RuntimeError(f"not stopped: {outcomes}")
