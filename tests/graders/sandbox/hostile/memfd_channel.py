"""Hostile: a memfd (an anonymous file that could be passed to the next job or mapped shared)."""
_m = lambda name: eval("__import__(name)", {"name": name})  # slips past the import guard: the sandbox must hold
os = _m("os")


def sigmoid_grad(x):
    fd = os.memfd_create("channel")
    os.write(fd, b"left for the next student")
    return x
