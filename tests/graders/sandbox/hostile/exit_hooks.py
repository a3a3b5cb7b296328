"""Hostile: everything that runs at interpreter exit or when objects die: atexit handlers,
__del__ finalizers, weakref.finalize, a gc callback, a thread excepthook, sys.unraisablehook,
each sleeping, printing megabytes or writing files: the prints of a dying object still count
against the call, and nothing of it reaches the next job."""
_m = lambda name: eval("__import__(name)", {"name": name})  # slips past the import guard: the sandbox must hold
atexit = _m("atexit")
gc = _m("gc")
os = _m("os")
sys = _m("sys")
time = _m("time")
weakref = _m("weakref")
threading = _m("threading")
np = _m("numpy")


def _mayhem(*args):
    try:
        with open("/tmp/left_at_exit", "w") as handle:
            handle.write("x" * 100_000)
    except OSError:
        pass
    os.write(1, b"\xff\xfe" * 500_000)
    time.sleep(0.3)


class Lingering:
    def __del__(self):
        print("y" * 20_000_000)  # past what one call may print
        _mayhem()


atexit.register(_mayhem)
KEEP = [Lingering() for _ in range(3)]
weakref.finalize(KEEP[0], _mayhem)
gc.callbacks.append(lambda phase, info: os.write(2, b"\x1b[2J" * 1000))
threading.excepthook = _mayhem
sys.unraisablehook = _mayhem


def sigmoid_grad(x):
    Lingering()  # dies at once: its __del__ prints 20 MB
    gc.collect()
    s = 0.5 * (1.0 + np.tanh(0.5 * x))
    return s * (1.0 - s)
