"""Hostile: connect postgres."""
_m = lambda name: eval("__import__(name)", {"name": name})  # slips past the import guard: the sandbox must hold
socket = _m("socket")


def sigmoid_grad(x):
    with socket.create_connection(("127.0.0.1", 5432), timeout=1):
        pass
    return x
