"""Hostile: a channel between jobs through an abstract-namespace unix socket (no file needed),
or a socketpair to pass fds."""
_m = lambda name: eval("__import__(name)", {"name": name})  # slips past the import guard: the sandbox must hold
socket = _m("socket")


def sigmoid_grad(x):
    server = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    server.bind("\0nablagrade-channel")
    return x
