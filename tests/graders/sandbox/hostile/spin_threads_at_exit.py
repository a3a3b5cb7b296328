"""Hostile: returns a correct answer while every thread it may start spins in C (numpy,
the GIL released), so the process must be torn down busy; the next job runs after it."""
_m = lambda name: eval("__import__(name)", {"name": name})  # slips past the import guard: the sandbox must hold
threading = _m("threading")
np = _m("numpy")


def _spin():
    a = np.random.rand(300, 300)
    while True:
        a = a @ a
        a /= np.abs(a).max() + 1.0


def sigmoid_grad(x):
    started = 0
    for _ in range(64):
        try:
            threading.Thread(target=_spin, daemon=True).start()
            started += 1
        except RuntimeError:
            break
    print("spinning", started)
    s = 0.5 * (1.0 + np.tanh(0.5 * x))
    return s * (1.0 - s)
