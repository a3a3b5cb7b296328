"""Hostile: a pty made the job's controlling terminal, then the suspend character typed on it
(and a write with TOSTOP set), so that the kernel's line discipline would stop the job with
SIGTSTP or SIGTTOU, no kill() needed: a job that stopped itself so would pass for one stopped
from outside. Its process group is orphaned (a session of its own), so the kernel drops them."""
_m = lambda name: eval("__import__(name)", {"name": name})  # slips past the import guard: the sandbox must hold
os = _m("os")
fcntl = _m("fcntl")
termios = _m("termios")
time = _m("time")
np = _m("numpy")

TIOCSCTTY = 0x540E


def _type(leader, follower, chars):
    attrs = termios.tcgetattr(follower)
    attrs[3] |= termios.ISIG | termios.TOSTOP
    termios.tcsetattr(follower, termios.TCSANOW, attrs)
    os.write(leader, chars)
    time.sleep(0.2)


TERMINAL = []


def sigmoid_grad(x):
    if not TERMINAL:
        TERMINAL.extend(os.openpty())
        fcntl.ioctl(TERMINAL[1], TIOCSCTTY, 0)  # once: a session has one controlling terminal
    leader, follower = TERMINAL
    _type(leader, follower, b"\x1a")  # VSUSP: SIGTSTP to the foreground group, this job
    os.write(follower, b"written with TOSTOP\n")  # SIGTTOU if this job were in the background
    os.read(leader, 100)
    s = 0.5 * (1.0 + np.tanh(0.5 * x))
    return -s * (1.0 - s)  # a wrong answer: the verdict must be wrong_value, not "stopped from outside"
