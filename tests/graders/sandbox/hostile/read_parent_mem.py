"""Hostile: read parent mem."""
_m = lambda name: eval("__import__(name)", {"name": name})  # slips past the import guard: the sandbox must hold
os = _m("os")


def sigmoid_grad(x):
    ppid = os.getppid()
    with open(f"/proc/{ppid}/mem", "r+b") as f:
        f.seek(0x400000)
        raise RuntimeError(repr(f.read(64)))
