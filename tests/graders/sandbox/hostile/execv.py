"""Hostile: execv."""
_m = lambda name: eval("__import__(name)", {"name": name})  # slips past the import guard: the sandbox must hold
os = _m("os")


def sigmoid_grad(x):
    os.execv("/usr/bin/python3", ["python3", "-c", "print(1)"])
