"""Hostile: the device nodes: files in /dev/shm and /dev/mqueue, a pty made the job's
controlling terminal (its session leader exits with it), writes to /dev/full, /dev/kmsg,
/dev/console and /dev/tty, and a FIFO left in the scratch space."""
_m = lambda name: eval("__import__(name)", {"name": name})  # slips past the import guard: the sandbox must hold
os = _m("os")
fcntl = _m("fcntl")
termios = _m("termios")
np = _m("numpy")

TIOCSCTTY = 0x540E


def _try(outcomes, name, action):
    try:
        result = action()
        outcomes.append(f"{name}: done {result if result is not None else ''}".strip())
    except (OSError, ValueError) as exc:
        outcomes.append(f"{name}: {type(exc).__name__} {getattr(exc, 'errno', '')}")


def _write(path, data=b"x"):
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_NONBLOCK, 0o666)
    try:
        return os.write(fd, data)
    finally:
        os.close(fd)


def _pty():
    leader, follower = os.openpty()
    fcntl.ioctl(follower, TIOCSCTTY, 0)
    os.write(leader, b"echo pwned\n")
    return os.ttyname(follower)


def sigmoid_grad(x):
    outcomes = []
    for path in ("/dev/shm/leftover", "/dev/mqueue/leftover", "/dev/full", "/dev/kmsg", "/dev/console", "/dev/tty",
                 "/dev/pts/0", "/dev/random", "/dev/leftover"):
        _try(outcomes, path, lambda path=path: _write(path))
    _try(outcomes, "pty", _pty)
    _try(outcomes, "fifo", lambda: os.mkfifo("/tmp/fifo"))
    _try(outcomes, "fifo outside", lambda: os.mkfifo("/scratch/fifo"))
    _try(outcomes, "listdir /dev", lambda: sorted(os.listdir("/dev")))
    print(outcomes)
    s = 0.5 * (1.0 + np.tanh(0.5 * x))
    return s * (1.0 - s)
