"""Hostile: thread after return."""
_m = lambda name: eval("__import__(name)", {"name": name})  # slips past the import guard: the sandbox must hold
threading = _m("threading")
time = _m("time")


def _later():
    time.sleep(0.3)
    with open("/tmp/written_after_return", "w") as f:
        f.write("still here")


def sigmoid_grad(x):
    threading.Thread(target=_later).start()
    s = 1 / (1 + __import__("numpy").exp(-x))
    return s * (1 - s)
