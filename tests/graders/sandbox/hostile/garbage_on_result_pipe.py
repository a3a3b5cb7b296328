"""Hostile: garbage on result pipe."""
_m = lambda name: eval("__import__(name)", {"name": name})  # slips past the import guard: the sandbox must hold
os = _m("os")


def sigmoid_grad(x):
    for fd in [int(fd) for fd in os.listdir("/proc/self/fd") if int(fd) > 2]:
        try:
            os.write(fd, b"\x00\x00\x00\x05{{{{{" * 10)
        except OSError:
            pass
    return x
