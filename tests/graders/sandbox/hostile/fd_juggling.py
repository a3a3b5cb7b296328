"""Hostile: closes and dup2s fds 0, 1 and 2 onto the result pipe, writes megabytes of binary,
invalid UTF-8, NULs and terminal escapes straight to them with os.write, and leaves the
result pipe non-blocking."""
_m = lambda name: eval("__import__(name)", {"name": name})  # slips past the import guard: the sandbox must hold
os = _m("os")
fcntl = _m("fcntl")
np = _m("numpy")


def _result_fd():
    for fd in range(3, 64):
        try:
            if os.readlink(f"/proc/self/fd/{fd}").startswith("pipe:"):
                return fd
        except OSError:
            pass
    return None


def sigmoid_grad(x):
    junk = (b"\x00\xff\xfe\x1b[2J\x1b]0;pwned\x07\xc3\x28" * 100_000)[:1_000_000]
    for fd in (0, 1, 2):
        try:
            os.write(fd, junk)
        except OSError:
            pass
    os.close(0)
    result = _result_fd()
    if result is not None:
        os.dup2(result, 2)
        flags = fcntl.fcntl(result, fcntl.F_GETFL)
        fcntl.fcntl(result, fcntl.F_SETFL, flags | os.O_NONBLOCK)
    try:
        os.write(1, junk)
    except OSError:
        pass
    s = 0.5 * (1.0 + np.tanh(0.5 * x))
    return s * (1.0 - s)
