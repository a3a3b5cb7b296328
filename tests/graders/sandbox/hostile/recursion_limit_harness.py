"""Hostile: sets the recursion limit as low as it goes and installs a recursive __repr__
and a recursive object whose __array__ recurses, so whatever the harness does after the
call (encoding, formatting an error) runs out of stack."""
_m = lambda name: eval("__import__(name)", {"name": name})  # slips past the import guard: the sandbox must hold
sys = _m("sys")
np = _m("numpy")


class Bottomless:
    def __array__(self, *args, **kwargs):
        return np.asarray(Bottomless())

    def __repr__(self):
        return repr(Bottomless())

    def __float__(self):
        return float(Bottomless())


def sigmoid_grad(x):
    sys.setrecursionlimit(60)
    return Bottomless()
